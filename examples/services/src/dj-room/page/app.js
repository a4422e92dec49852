import { ApiError, call, describeError, sessionEnd, sessionEndMessages, sessions } from "./api.js";
import { syncRoom } from "./room-sync.js";
import { $, artists, coolDown, cover, drawProgress, el, isCooling, playbackPosition, toast } from "./ui.js";

const SEARCH_DEBOUNCE_MS = 300;

let session = null;
let current = null;
let room = null;
let searchTimer = null;
let searchAbort = null;
let lastQuery = "";

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
    if (error.code === "room_closed" || error.code === "queue_locked") scheduleRefresh(0);
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

// ---- rendering -----------------------------------------------------------------------------

function notice(kind, tone, title, text, action) {
  return el(
    "div",
    { className: `notice ${tone}`, dataset: { kind } },
    el(
      "div",
      { className: "grow" },
      el("strong", { textContent: title }),
      text ? el("span", { textContent: text }) : null,
    ),
    action,
  );
}

function playerNotice(state, host) {
  const status = state.room.player?.status;
  if (!status || status === "playing" || status === "paused" || status === "unknown") return null;
  if (state.room.playback.phase !== "playing" && status === "not_connected" && !host) return null;
  const defaults = {
    no_device:
      "Open Spotify on a phone, laptop or speaker and press play, then come back: the queue is kept.",
    premium_required: "Spotify only lets Premium accounts control playback. Sign in with a Premium account.",
    not_connected: "Connect Spotify so the room can play the queue.",
  };
  if (!host)
    return notice(
      "player",
      "info",
      "Waiting for the host's player",
      "The queue is kept; voting still works.",
    );
  return notice(
    "player",
    "bad",
    "The music can't play yet",
    state.room.player.message || defaults[status] || "",
  );
}

function renderNotices(state, host) {
  const items = [];
  if (state.room.status === "closed") {
    items.push(
      notice(
        "closed",
        "bad",
        "This room is closed",
        host
          ? "Reopen it to let people add and vote again."
          : "The host closed the room: adding and voting are off.",
      ),
    );
  } else {
    if (state.room.settings.locked) {
      items.push(
        notice(
          "locked",
          "",
          "The queue is locked",
          host
            ? "Only you can add songs. Guests can still vote."
            : "The host isn't taking new songs right now. You can still vote.",
        ),
      );
    }
    if (host && state.room.settings.joinsOpen === false) {
      items.push(
        notice("joins", "info", "Closed to new guests", "People already here can keep adding and voting."),
      );
    }
    const player = playerNotice(state, host);
    if (player) items.push(player);
  }
  $("notices").replaceChildren(...items);
}

function renderNowPlaying(state, host) {
  const { playback, player } = state.room;
  const phase = $("phase");
  const waiting = player && ["no_device", "premium_required", "not_connected"].includes(player.status);
  let label = state.room.status === "closed" ? "Room closed" : "Waiting to start";
  let tone = "idle";
  if (playback.phase === "playing") {
    if (player?.status === "paused") [label, tone] = ["Paused", "paused"];
    else if (waiting) [label, tone] = ["Waiting for the player", "waiting"];
    else [label, tone] = ["Now playing", "playing"];
  }
  phase.textContent = label;
  phase.className = `phase ${tone}`;
  phase.dataset.phase = player?.status === "paused" ? "paused" : playback.phase;

  const art = cover(
    playback.track,
    "art",
    playback.track ? `Cover of ${playback.track.album ?? playback.track.title}` : "",
  );
  art.id = "now-art";
  const old = $("now-art");
  if (old.getAttribute("src") !== art.getAttribute("src") || old.tagName !== art.tagName)
    old.replaceWith(art);
  if (playback.track) {
    $("now-playing").textContent = playback.track.title;
    $("now-sub").textContent =
      artists(playback.track) + (playback.track.album ? ` · ${playback.track.album}` : "");
  } else {
    $("now-playing").textContent = "Nothing playing";
    $("now-sub").textContent =
      state.room.status === "closed"
        ? "Nothing more will play here."
        : state.queue.length === 0
          ? "Add a song to get the party going."
          : host
            ? "Press “Play top song” to start the queue."
            : "Waiting for the host to press play.";
  }
  drawProgress($("progress"), $("times"), playbackPosition(state.room));
  const closed = state.room.status === "closed";
  const playing = playback.phase === "playing";
  setDisabled($("vote-skip-btn"), closed || !playing);
  setDisabled($("skip-btn"), closed || !playing);
  setDisabled($("start-btn"), closed || playing || state.queue.length === 0);
  // While a song plays the host skips; starting and voting to skip are for the others' moments.
  $("start-btn").hidden = playing;
  $("vote-skip-btn").hidden = host;
  $("skip-btn").hidden = !playing;
  $("skip-votes").textContent = state.skipVotes
    ? `${state.skipVotes.votes} of ${state.skipVotes.needed} to skip`
    : "";
}

/** Disables a control unless a 429 already rests it (it comes back on its own). */
function setDisabled(control, disabled) {
  control.disabled = disabled || isCooling(control);
}

function queueRow(entry, state, host) {
  const closed = state.room.status === "closed";
  const title = entry.track.title;
  const up = el("button", {
    type: "button",
    className: `up${entry.myVote === 1 ? " on" : ""}`,
    textContent: "▲",
    "aria-label": `Like ${title}`,
    "aria-pressed": String(entry.myVote === 1),
  });
  const down = el("button", {
    type: "button",
    className: `down${entry.myVote === -1 ? " on" : ""}`,
    textContent: "▼",
    "aria-label": `Dislike ${title}`,
    "aria-pressed": String(entry.myVote === -1),
  });
  up.onclick = guard(() => vote(entry, entry.myVote === 1 ? 0 : 1), up);
  down.onclick = guard(() => vote(entry, entry.myVote === -1 ? 0 : -1), down);
  setDisabled(up, closed);
  setDisabled(down, closed);
  const li = el(
    "li",
    { className: "track-row", dataset: { entryId: entry.id, trackId: entry.track.id } },
    el("span", { className: "pos", textContent: String(entry.position) }),
    cover(entry.track, "art sm"),
    el(
      "div",
      { className: "track-text" },
      el(
        "div",
        { className: "track-title" },
        entry.pinned ? el("span", { className: "badge", textContent: "Next" }) : null,
        title,
      ),
      el("div", {
        className: "track-sub",
        textContent: `${artists(entry.track)} · added by ${entry.addedBy.name}`,
      }),
    ),
    el(
      "div",
      { className: "votes", role: "group", "aria-label": `Votes for ${title}` },
      up,
      el("span", {
        className: "score",
        textContent: String(entry.score),
        "aria-label": `score ${entry.score}`,
      }),
      down,
    ),
  );
  if (host) {
    const next = el("button", {
      type: "button",
      className: "play-next",
      textContent: "Play next",
      "aria-label": `Play next: ${title}`,
    });
    const remove = el("button", {
      type: "button",
      className: "remove danger",
      textContent: "Remove",
      "aria-label": `Remove ${title}`,
    });
    next.onclick = guard(() => api("POST", `/queue/${entry.id}/play-next`).then(() => refresh()), next);
    remove.onclick = guard(() => api("DELETE", `/queue/${entry.id}`).then(() => refresh()), remove);
    setDisabled(next, closed);
    setDisabled(remove, closed);
    li.append(el("div", { className: "row-actions" }, next, remove));
  }
  return li;
}

/** Re-rendering replaces the rows: keep keyboard focus on the same control of the same row. */
function keepingFocus(list, draw) {
  const active = document.activeElement;
  const row = active?.closest?.("li[data-entry-id]");
  const key = row && list.contains(row) ? [row.dataset.entryId, active.className.split(" ")[0]] : null;
  draw();
  if (key) list.querySelector(`li[data-entry-id="${key[0]}"] button.${key[1]}`)?.focus();
}

function render(state) {
  const host = state.me.role === "host";
  document.body.classList.toggle("is-host", host);
  $("room-name-label").textContent = state.room.name;
  $("me-label").textContent = `· ${state.me.name}${host ? " (host)" : ""}`;
  document.title = `${state.room.name} · Portside DJ`;
  // The server knows the public address (behind a proxy, location.origin may not be it).
  if (state.share?.url) $("share-link").value = state.share.url;
  renderNotices(state, host);
  renderNowPlaying(state, host);

  const queue = $("queue");
  keepingFocus(queue, () =>
    queue.replaceChildren(...state.queue.map((entry) => queueRow(entry, state, host))),
  );
  $("queue-empty").hidden = state.queue.length > 0;
  $("queue-count").textContent = state.queue.length
    ? `${state.queue.length} song${state.queue.length === 1 ? "" : "s"}`
    : "";

  $("history").replaceChildren(
    ...state.history
      .slice(0, 20)
      .map((h) =>
        el(
          "li",
          { className: "track-row" },
          cover(h.track, "art sm"),
          el(
            "div",
            { className: "track-text" },
            el("div", { className: "track-title", textContent: h.track.title }),
            el("div", { className: "track-sub", textContent: artists(h.track) }),
          ),
          el("span", { className: "muted small", textContent: h.status }),
        ),
      ),
  );
  $("history-empty").hidden = state.history.length > 0;

  const closed = state.room.status === "closed";
  const settings = state.room.settings;
  const canAdd = !closed && (host || !settings.locked);
  const search = $("search-input");
  setDisabled(search, !canAdd);
  if (!canAdd) search.value = "";
  search.placeholder = closed
    ? "The room is closed"
    : canAdd
      ? "Search songs or artists to add"
      : "The host locked the queue";
  if (!canAdd) hideResults();
  for (const button of $("results").querySelectorAll("button.add")) setDisabled(button, !canAdd);

  toggle($("lock-toggle"), settings.locked, "Queue locked", "Lock queue", closed);
  toggle($("fair-toggle"), settings.fairShare, "Fair share on", "Fair share", closed);
  $("joins-toggle").hidden = settings.joinsOpen === undefined;
  toggle(
    $("joins-toggle"),
    settings.joinsOpen === false,
    "Closed to new guests",
    "Close to new guests",
    closed,
  );
  $("close-btn").hidden = closed;
  $("reopen-btn").hidden = !closed;

  const guests = state.guests.filter((g) => g.role !== "host");
  $("guests-empty").hidden = guests.length > 0;
  $("guests").replaceChildren(
    ...guests.map((g) => {
      const li = el("li", { className: "guest-row" }, el("span", { className: "grow", textContent: g.name }));
      if (g.banned) li.append(el("span", { className: "muted small", textContent: "banned" }));
      else {
        const ban = el("button", {
          type: "button",
          className: "ban danger",
          textContent: "Ban",
          "aria-label": `Ban ${g.name}`,
        });
        ban.onclick = guard(() => api("POST", `/guests/${g.id}/ban`).then(() => refresh()), ban);
        setDisabled(ban, closed);
        li.append(ban);
      }
      return li;
    }),
  );
}

function toggle(button, on, onText, offText, disabled) {
  button.textContent = on ? onText : offText;
  button.setAttribute("aria-pressed", String(on));
  setDisabled(button, disabled);
}

// The bar moves between updates; nothing is fetched for it.
setInterval(() => {
  if (current && !$("room").hidden) drawProgress($("progress"), $("times"), playbackPosition(current.room));
}, 1000);

// ---- actions -------------------------------------------------------------------------------

async function vote(entry, value) {
  await api("PUT", `/queue/${entry.id}/vote`, { value });
  await refresh();
}

function hideResults() {
  $("results-panel").hidden = true;
}

async function search(query) {
  searchAbort?.abort();
  if (query.length < 2) {
    hideResults();
    return;
  }
  const input = $("search-input");
  if (isCooling(input)) return;
  searchAbort = new AbortController();
  const { tracks } = await call("GET", roomPath(`/search?q=${encodeURIComponent(query)}`), {
    token: session.token,
    signal: searchAbort.signal,
  });
  if (query !== input.value.trim()) return;
  lastQuery = query;
  const queued = new Set(current?.queue.map((e) => e.track.id));
  $("results-label").textContent = tracks.length
    ? `${tracks.length} result${tracks.length === 1 ? "" : "s"} for “${query}”`
    : `No songs match “${query}”.`;
  $("results").replaceChildren(
    ...tracks.map((track) => {
      const add = el("button", { type: "button", className: "add primary" });
      const label = (done) => {
        add.textContent = done ? "Queued" : "Add";
        add.classList.toggle("done", done);
        add.setAttribute("aria-label", `${add.textContent}: ${track.title} by ${artists(track)}`);
      };
      label(queued.has(track.id));
      add.onclick = guard(async () => {
        const result = await api("POST", "/queue", { trackId: track.id });
        label(true);
        // On a phone the results cover the queue: close them to show the song arriving.
        if (matchMedia("(max-width: 899px)").matches) hideResults();
        toast(
          result.outcome === "voted"
            ? `${track.title} was already queued: counted as your like.`
            : `Added ${track.title}`,
        );
        await refresh();
      }, add);
      return el(
        "li",
        { className: "track-row", dataset: { trackId: track.id } },
        cover(track, "art sm"),
        el(
          "div",
          { className: "track-text" },
          el("div", { className: "track-title", textContent: track.title }),
          el("div", {
            className: "track-sub",
            textContent: artists(track) + (track.album ? ` · ${track.album}` : ""),
          }),
        ),
        add,
      );
    }),
  );
  $("results-panel").hidden = false;
}

const runSearch = (query) => guard(() => search(query), $("search-input"))();

$("search-input").addEventListener("input", () => {
  clearTimeout(searchTimer);
  const query = $("search-input").value.trim();
  if (query.length >= 2) $("results-label").textContent = `Searching for “${query}”…`;
  searchTimer = setTimeout(() => runSearch(query), SEARCH_DEBOUNCE_MS);
});
$("search-input").addEventListener("focus", () => {
  if ($("search-input").value.trim() === lastQuery && lastQuery && $("results").children.length)
    $("results-panel").hidden = false;
});
$("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(searchTimer);
  runSearch($("search-input").value.trim());
});
$("results-close").onclick = () => {
  hideResults();
  $("search-input").focus();
};
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !$("results-panel").hidden) {
    hideResults();
    $("search-input").focus();
  }
});
document.addEventListener("pointerdown", (event) => {
  if (!$("search-area").contains(event.target) && !event.target.closest?.("#status")) hideResults();
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
