// Draws the room: notices, now playing, the queue, history, host controls and guests.

import { $, artists, cover, drawProgress, el, isCooling, playbackPosition, showCover } from "./ui.js";

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

  showCover("now-art", playback.track);
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
export function setDisabled(control, disabled) {
  control.disabled = disabled || isCooling(control);
}

function queueRow(entry, state, host, actions) {
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
  up.onclick = () => actions.vote(entry, entry.myVote === 1 ? 0 : 1, up);
  down.onclick = () => actions.vote(entry, entry.myVote === -1 ? 0 : -1, down);
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
    next.onclick = () => actions.playNext(entry, next);
    remove.onclick = () => actions.remove(entry, remove);
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

/**
 * Draws the room as the state says. `actions` are the user's moves (already guarded): vote,
 * playNext, remove, ban, each given the control that was pressed.
 */
export function renderRoom(state, actions) {
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
    queue.replaceChildren(...state.queue.map((entry) => queueRow(entry, state, host, actions))),
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
        ban.onclick = () => actions.ban(g, ban);
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
