import { call, describeError, sessions } from "./api.js";
import { syncRoom } from "./room-sync.js";
import { $, artists, cover, drawProgress, el, playbackPosition, showCover, toast } from "./ui.js";

const UP_NEXT = 6;
const code = (/^\/dj\/([A-Za-z0-9]{6})\/tv\/?$/.exec(location.pathname)?.[1] ?? "").toUpperCase();
let current = null;

/** "dj.example.com/dj": short enough to type from across the room; the code comes next to it. */
const joinAddress = (url) => `${new URL(url).host}/dj`;

function render(state) {
  const { playback, player } = state.room;
  const closed = state.room.status === "closed";
  $("tv-room-name").textContent = state.room.name;
  if (state.share?.url) $("tv-url").textContent = joinAddress(state.share.url);
  document.title = `${state.room.name} · Portside DJ`;
  $("tv-phase").textContent = closed
    ? "This room is closed"
    : playback.phase !== "playing"
      ? "Up first"
      : player?.status === "paused"
        ? "Paused"
        : "Now playing";
  const shown = playback.phase === "playing" ? playback.track : (state.queue[0]?.track ?? null);
  showCover("tv-art", shown);
  const backdrop = $("tv-backdrop");
  backdrop.hidden = !shown?.imageUrl;
  if (shown?.imageUrl && backdrop.getAttribute("src") !== shown.imageUrl) backdrop.src = shown.imageUrl;
  $("tv-title").textContent = shown ? shown.title : "Nothing playing yet";
  $("tv-sub").textContent = shown
    ? artists(shown) + (shown.album ? ` · ${shown.album}` : "")
    : "Scan the code below and add the first song.";
  drawProgress($("tv-progress"), null, playbackPosition(state.room));

  const upNext = (playback.phase === "playing" ? state.queue : state.queue.slice(1)).slice(0, UP_NEXT);
  $("tv-queue").replaceChildren(
    ...upNext.map((entry) =>
      el(
        "li",
        { className: "tv-row", dataset: { trackId: entry.track.id } },
        cover(entry.track, "art"),
        el(
          "div",
          { className: "track-text" },
          el("div", { className: "track-title", textContent: entry.track.title }),
          el("div", {
            className: "track-sub",
            textContent: `${artists(entry.track)} · added by ${entry.addedBy.name}`,
          }),
        ),
        el("span", {
          className: "score",
          textContent: entry.score > 0 ? `+${entry.score}` : String(entry.score),
        }),
      ),
    ),
  );
  $("tv-queue-empty").hidden = upNext.length > 0;
}

function show(session) {
  $("tv-gate").hidden = true;
  $("tv").hidden = false;
  $("tv-url").textContent = joinAddress(location.href);
  $("tv-code").textContent = code;
  $("tv-qr").src = `/dj/${code}/qr.svg`;
  $("tv-qr").alt = `QR code: scan to join room ${code}`;
  const room = syncRoom({
    code,
    token: session.token,
    onState(state) {
      current = state;
      render(state);
    },
    onConnected() {},
    onRemoved() {
      sessions.forget(code);
      location.reload();
    },
    onError: (error) => toast(describeError(error), "warn"),
  });
  room.start().catch((error) => toast(describeError(error), "warn"));
  keepScreenOn();
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && room.wake());
}

/** A screen at the venue must not go to sleep mid-party (where the browser lets a page ask). */
async function keepScreenOn() {
  const request = async () => {
    try {
      await navigator.wakeLock?.request("screen");
    } catch {
      // Refused (battery saver, no user gesture yet): the screen's own settings decide.
    }
  };
  await request();
  // The lock ends whenever the page is hidden; ask again when it is shown.
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && request());
}

setInterval(() => {
  if (current) drawProgress($("tv-progress"), null, playbackPosition(current.room));
}, 1000);

$("tv-gate-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const grant = await call("POST", `/rooms/${code}/guests`, { body: { name: "Screen" } });
    const session = { token: grant.token, code: grant.room.code };
    sessions.save(session);
    show(session);
  } catch (error) {
    toast(describeError(error), "warn");
  }
});

const stored = sessions.get(code);
if (stored) show(stored);
else {
  $("tv-gate-code").textContent = code;
  $("tv-gate").hidden = false;
}
