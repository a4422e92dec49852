// Live room updates over whichever transport the server names (SSE, WebSocket, or none), with
// reconnects on backoff. Messages only say "something changed at version N": the page refetches
// the state, so a gap (lost socket, sleeping phone) costs one refetch, never a missed change.

const EVENT_TYPES = [
  "queue.changed",
  "votes.changed",
  "now-playing.changed",
  "playback.changed",
  "player.changed",
  "guest.joined",
  "guest.banned",
  "settings.changed",
  "room.closed",
  "room.reopened",
];
const POLL_MS = 5000;
const PING_MS = 5 * 60_000;

export function backoffDelay(attempt) {
  const base = Math.min(30_000, 500 * 2 ** attempt);
  return Math.round(base * (1 + Math.random() * 0.3));
}

const withToken = (url, token) => `${url}${url.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}`;

/**
 * @param {{ live?: { transport: string, url?: string }, token: string,
 *   onReady(version?: number): void, onMessage(message: object): void,
 *   onConnected(connected: boolean): void, onGap(): void }} options
 */
export function connectLive(options) {
  const { token } = options;
  let live = options.live;
  let attempt = 0;
  let stopped = false;
  let connection = null;
  let retryTimer = null;
  let pollTimer = null;

  const setConnected = (connected) => {
    options.onConnected(connected);
    clearInterval(pollTimer);
    pollTimer = null;
    // While nothing streams, look at the state now and then so the screen never stays stale.
    if (!connected && !stopped) pollTimer = setInterval(() => options.onGap(), POLL_MS);
  };

  const ready = (version) => {
    attempt = 0;
    setConnected(true);
    options.onReady(version);
  };

  const message = (raw) => {
    let parsed;
    try {
      parsed = typeof raw === "string" ? JSON.parse(raw) : raw;
    } catch {
      return;
    }
    if (parsed.type === "ready") ready(parsed.version);
    else if (parsed.type !== "pong") options.onMessage(parsed);
  };

  const dropped = () => {
    connection?.close();
    connection = null;
    if (stopped) return;
    setConnected(false);
    options.onGap();
    clearTimeout(retryTimer);
    retryTimer = setTimeout(open, backoffDelay(attempt++));
  };

  function openEventSource() {
    const source = new EventSource(withToken(live.url, token));
    source.addEventListener("ready", (event) =>
      message({ ...JSON.parse(event.data || "{}"), type: "ready" }),
    );
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (event) => message({ type, ...JSON.parse(event.data || "{}") }));
    }
    source.onmessage = (event) => message(event.data);
    source.onerror = () => dropped();
    return { close: () => source.close() };
  }

  function openWebSocket() {
    const socket = new WebSocket(withToken(live.url, token));
    let ping = null;
    socket.onopen = () => {
      socket.send(JSON.stringify({ action: "hello" }));
      ping = setInterval(() => socket.send(JSON.stringify({ action: "ping" })), PING_MS);
    };
    socket.onmessage = (event) => message(event.data);
    socket.onclose = () => {
      clearInterval(ping);
      if (connection?.socket === socket) dropped();
    };
    return {
      socket,
      close() {
        clearInterval(ping);
        socket.onclose = null;
        socket.close();
      },
    };
  }

  function open() {
    if (stopped) return;
    if (live?.transport === "websocket" && live.url) connection = openWebSocket();
    else if (live?.transport === "sse" && live.url) connection = openEventSource();
    else setConnected(false);
  }

  open();
  return {
    /** The server named another transport (e.g. after a deploy): switch to it. */
    update(next) {
      if (JSON.stringify(next) === JSON.stringify(live)) return;
      live = next;
      connection?.close();
      connection = null;
      open();
    },
    /** Back from the background (a phone's screen was off): reconnect now rather than after backoff. */
    wake() {
      if (stopped || connection) return;
      clearTimeout(retryTimer);
      attempt = 0;
      open();
    },
    close() {
      stopped = true;
      clearTimeout(retryTimer);
      clearInterval(pollTimer);
      connection?.close();
      connection = null;
      options.onConnected(false);
    },
  };
}
