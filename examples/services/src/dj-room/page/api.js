// The room's HTTP API and the sessions this browser keeps (one per room, shared by every tab).

const KEY = "portside-dj-sessions";

export const sessions = {
  all() {
    try {
      return JSON.parse(localStorage.getItem(KEY) || "{}") || {};
    } catch {
      return {};
    }
  },
  get(code) {
    return code ? (this.all().rooms?.[code] ?? null) : null;
  },
  /** The room this browser was last in, for a bare `/dj`. */
  last() {
    const all = this.all();
    return all.last ? this.get(all.last) : null;
  },
  save(session) {
    const all = this.all();
    all.rooms = { ...all.rooms, [session.code]: session };
    all.last = session.code;
    localStorage.setItem(KEY, JSON.stringify(all));
  },
  forget(code) {
    const all = this.all();
    if (all.rooms) delete all.rooms[code];
    if (all.last === code) delete all.last;
    localStorage.setItem(KEY, JSON.stringify(all));
  },
};

export class ApiError extends Error {
  constructor(message, { code, status, retryAfter, details }) {
    super(message);
    this.code = String(code || "").toLowerCase();
    this.status = status;
    this.retryAfter = retryAfter;
    this.details = details;
  }
}

/** Why this browser's session for the room is over, if the error says it is: "banned", "ended" or null. */
export function sessionEnd(error) {
  if (!(error instanceof ApiError)) return null;
  if (error.code === "guest_banned") return "banned";
  const gone = ["guest_not_found", "room_not_found"].includes(error.code);
  return error.status === 401 || gone ? "ended" : null;
}

export const sessionEndMessages = {
  banned: "The host removed you from this room.",
  ended: "Your session ended. Join again with the code.",
};

const limitNames = {
  joins: "joins",
  searches: "searches",
  adds: "songs added",
  votes: "votes",
  skipVotes: "skip votes",
};

/** What a person should read for an error: kind words for limits, the server's message otherwise. */
export function describeError(error) {
  if (!(error instanceof ApiError)) return "Something went wrong. Check your connection and try again.";
  if (error.status === 429) {
    const what = limitNames[error.details?.limit];
    const wait = error.retryAfter ? ` Try again in ${error.retryAfter} s.` : "";
    // The room's own limits explain themselves ("Wait 30s between adds"); request limits get a kind word.
    if (!what) return `${error.message.replace(/\.?$/, ".")}${wait}`;
    return `Easy there: too many ${what} in a short time.${wait || " Try again in a moment."}`;
  }
  return error.message;
}

export async function call(method, path, { token, body, signal } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (cause) {
    if (cause.name === "AbortError") throw cause;
    throw new ApiError("You seem to be offline. Trying again…", { code: "offline", status: 0 });
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = data?.error ?? {};
    const header = Number(response.headers.get("retry-after"));
    const retryAfter =
      Number.isFinite(header) && header > 0 ? Math.ceil(header) : error.details?.retryAfterSeconds;
    throw new ApiError(error.message || response.statusText || `HTTP ${response.status}`, {
      code: error.code || `http_${response.status}`,
      status: response.status,
      retryAfter,
      details: error.details,
    });
  }
  return data;
}
