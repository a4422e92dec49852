import { ApiError, call, describeError, sessionEnd, sessionEndMessages, sessions } from "./api.js";
import { syncRoom } from "./room-sync.js";
import { renderRoom } from "./room-view.js";
import { createSearchPanel } from "./search-panel.js";
import { $, coolDown, drawProgress, playbackPosition, toast } from "./ui.js";

let session = null;
let current = null;
let room = null;

const codeFromLocation = () => {
  const fromPath = /^\/dj\/([A-Za-z0-9]{6})\/?$/.exec(location.pathname)?.[1];
  return (fromPath || location.hash.slice(1) || "").toUpperCase() || null;
};
const roomPath = (suffix = "") => `/rooms/${encodeURIComponent(session.code)}${suffix}`;
const api = (method, suffix, body) => call(method, roomPath(suffix), { token: session.token, body });

/** Runs a user action; errors become a kind message, a 429 rests the control until Retry-After. */
const guard =
  (work, control) =>
  async (...args) => {
    try {
      await work(...args);
    } catch (error) {
      if (error?.name === "AbortError") return;
      handleError(error, control);
    }
  };

function handleError(error, control) {
  if (error instanceof ApiError) {
    if (error.status === 429) {
      toast(describeError(error), "warn");
      coolDown(control, error.retryAfter ?? 5, () => current && render(current));
      return;
    }
    if (session && sessionEnd(error)) {
      leave(sessionEndMessages[sessionEnd(error)]);
      return;
    }
    // The room changed under the person (closed, locked, the player went away): show how it is now.
    const stale = ["room_closed", "queue_locked", "player_no_device", "player_premium_required"];
    if (stale.includes(error.code)) scheduleRefresh(0);
  }
  toast(describeError(error), "warn");
}

// ---- entering and leaving ------------------------------------------------------------------

function enter(grant) {
  session = { token: grant.token, code: grant.room.code };
  sessions.save(session);
  showRoom();
}

async function showRoom() {
  history.replaceState(null, "", `/dj/${session.code}`);
  $("landing").hidden = true;
  $("room").hidden = false;
  document.body.classList.add("in-room");
  $("room-title").hidden = false;
  $("leave-btn").hidden = false;
  $("room-code").textContent = session.code;
  $("share-link").value = `${location.origin}/dj/${session.code}`;
  $("share-qr").src = `/dj/${session.code}/qr.svg`;
  $("share-qr").alt = `QR code: scan to join room ${session.code}`;
  $("tv-link").href = `/dj/${session.code}/tv`;
  $("share-btn").hidden = typeof navigator.share !== "function";
  room?.stop();
  room = syncRoom({
    code: session.code,
    token: session.token,
    onState(state) {
      current = state;
      render(state);
    },
    onConnected(connected) {
      $("live").classList.toggle("on", connected);
      $("live").setAttribute("aria-label", connected ? "Live updates on" : "Live updates reconnecting");
    },
    onRemoved: (reason) => leave(sessionEndMessages[reason]),
    onError: (error) => handleError(error),
  });
  await room.start();
}

function leave(message) {
  room?.stop();
  room = null;
  if (session) sessions.forget(session.code);
  session = null;
  current = null;
  history.replaceState(null, "", "/dj");
  $("room").hidden = true;
  $("room-title").hidden = true;
  $("leave-btn").hidden = true;
  $("landing").hidden = false;
  $("host-form").hidden = false;
  $("host-instead").hidden = true;
  document.body.classList.remove("is-host", "in-room");
  if (message) toast(message, "warn");
}

const refresh = () => room?.refresh();
const scheduleRefresh = (delay) => room?.schedule(delay);

// The bar moves between updates; nothing is fetched for it.
setInterval(() => {
  if (current && !$("room").hidden) drawProgress($("progress"), $("times"), playbackPosition(current.room));
}, 1000);

// ---- actions -------------------------------------------------------------------------------

const refreshAfter =
  (work) =>
  async (...args) => {
    await work(...args);
    await refresh();
  };

const actions = {
  vote: (entry, value, control) =>
    guard(
      refreshAfter(() => api("PUT", `/queue/${entry.id}/vote`, { value })),
      control,
    )(),
  playNext: (entry, control) =>
    guard(
      refreshAfter(() => api("POST", `/queue/${entry.id}/play-next`)),
      control,
    )(),
  remove: (entry, control) =>
    guard(
      refreshAfter(() => api("DELETE", `/queue/${entry.id}`)),
      control,
    )(),
  ban: (guest, control) =>
    guard(
      refreshAfter(() => api("POST", `/guests/${guest.id}/ban`)),
      control,
    )(),
};

function render(state) {
  renderRoom(state, actions);
  searchPanel.follow(state);
}

const searchPanel = createSearchPanel({
  guard,
  queuedIds: () => new Set(current?.queue.map((e) => e.track.id)),
  async search(query, signal) {
    const path = roomPath(`/search?q=${encodeURIComponent(query)}`);
    return (await call("GET", path, { token: session.token, signal })).tracks;
  },
  async add(track) {
    const result = await api("POST", "/queue", { trackId: track.id });
    toast(
      result.outcome === "voted"
        ? `${track.title} was already queued: counted as your like.`
        : `Added ${track.title}`,
    );
    await refresh();
  },
});

$("join-form").addEventListener(
  "submit",
  guard(async (event) => {
    event.preventDefault();
    const code = $("join-code").value.trim().toUpperCase();
    const grant = await call("POST", `/rooms/${encodeURIComponent(code)}/guests`, {
      body: { name: $("join-name").value.trim() },
    });
    enter(grant);
  }, $("join-btn")),
);

$("host-form").addEventListener(
  "submit",
  guard(async (event) => {
    event.preventDefault();
    const hostName = $("host-name").value.trim() || "Host";
    await call("POST", "/dj/host-login", { body: { name: hostName } });
    const body = { hostName };
    if ($("room-name").value.trim()) body.name = $("room-name").value.trim();
    let grant;
    try {
      grant = await call("POST", "/rooms", { body });
    } catch (error) {
      if (error.code !== "host_room_limit") throw error;
      const { rooms } = await call("GET", "/rooms/mine");
      const open = rooms.find((r) => r.status === "open");
      if (!open) throw error;
      toast(`You already host room ${open.code}: opening it.`);
      grant = await call("POST", `/rooms/by-id/${open.id}/host-session`);
    }
    enter(grant);
  }, $("host-open")),
);

$("leave-btn").onclick = () => leave();
$("host-instead").onclick = () => {
  $("host-instead").hidden = true;
  $("host-form").hidden = false;
  $("host-name").focus();
};

$("vote-skip-btn").onclick = guard(async () => {
  const result = await api("POST", "/playback/vote-skip");
  toast(result.skipped ? "Skipped by vote." : `${result.votes} of ${result.needed} votes to skip`);
  await refresh();
}, $("vote-skip-btn"));
$("start-btn").onclick = guard(async () => {
  await api("POST", "/playback/start");
  await refresh();
}, $("start-btn"));
$("skip-btn").onclick = guard(async () => {
  const playId = current?.room.playback.playId;
  await api("POST", "/playback/skip", playId ? { playId } : {});
  await refresh();
}, $("skip-btn"));
const patchSettings = (patch) => api("PATCH", "/settings", patch).then(() => refresh());
$("lock-toggle").onclick = guard(
  () => patchSettings({ locked: !current.room.settings.locked }),
  $("lock-toggle"),
);
$("fair-toggle").onclick = guard(
  () => patchSettings({ fairShare: !current.room.settings.fairShare }),
  $("fair-toggle"),
);
$("joins-toggle").onclick = guard(
  () => patchSettings({ joinsOpen: current.room.settings.joinsOpen === false }),
  $("joins-toggle"),
);
$("close-btn").onclick = guard(async () => {
  if (!confirm("Close the room for everyone?")) return;
  await api("POST", "/close");
  await refresh();
}, $("close-btn"));
$("reopen-btn").onclick = guard(async () => {
  await call("POST", `/rooms/by-id/${current.room.id}/reopen`);
  await refresh();
}, $("reopen-btn"));

$("copy-link").onclick = async () => {
  const link = $("share-link");
  try {
    await navigator.clipboard.writeText(link.value);
  } catch {
    link.select();
    document.execCommand("copy");
  }
  toast("Link copied: paste it anywhere.");
};
$("share-btn").onclick = async () => {
  try {
    await navigator.share({
      title: current?.room.name ?? "Portside DJ",
      text: `Join ${current?.room.name ?? "the room"} on Portside DJ with code ${session.code}`,
      url: $("share-link").value,
    });
  } catch {
    // The person closed the share sheet.
  }
};

// Another tab of this browser left the room: follow it.
window.addEventListener("storage", () => {
  if (session && !sessions.get(session.code)) leave();
});
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") room?.wake();
});

async function showLanding(code) {
  $("landing").hidden = false;
  if (!code) return;
  // Someone who followed a room's link came to join it: hosting waits behind a button.
  $("host-form").hidden = true;
  $("host-instead").hidden = false;
  $("join-code").value = code;
  $("join-name").focus();
  try {
    const room = await call("GET", `/rooms/${encodeURIComponent(code)}`);
    $("landing-title").textContent = `Join ${room.name}`;
    $("landing-sub").textContent =
      room.status === "closed"
        ? "This room is closed right now."
        : room.joinsOpen === false
          ? "The host isn't letting new guests in right now."
          : "Pick a name and you're in: add songs and vote the queue.";
    $("join-btn").disabled = room.status === "closed" || room.joinsOpen === false;
  } catch {
    // An unknown code: the join answer will say so.
  }
}

(async () => {
  const code = codeFromLocation();
  try {
    const me = await call("GET", "/dj/me");
    // A signed-in host whose Spotify is already connected needs no button for it.
    const connected =
      me.host && me.spotify === "configured" && (await call("GET", "/spotify/status")).connected;
    $("spotify-link").hidden = me.spotify !== "configured" || connected;
  } catch {
    // The host's sign-in is the app's own; the page works without it.
  }
  session = code ? sessions.get(code) : sessions.last();
  if (session) guard(showRoom)();
  else showLanding(code);
})();
