// Small DOM helpers shared by the room page and the TV view.

export const $ = (id) => document.getElementById(id);

export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("aria-") || key === "role") node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) if (child != null && child !== false) node.append(child);
  return node;
}

/** A track's cover from the provider's data, or a placeholder note when it has none. */
export function cover(track, className = "art", alt = "") {
  const placeholder = () => el("div", { className, "aria-hidden": "true", textContent: "♪" });
  if (!track?.imageUrl) return placeholder();
  const image = el("img", { className, src: track.imageUrl, alt, loading: "lazy", decoding: "async" });
  // An image host that is down or blocked shows the note, not a broken image and its alt text.
  image.onerror = () => image.replaceWith(Object.assign(placeholder(), { id: image.id }));
  return image;
}

/** Puts `track`'s cover where the element `id` is, unless that already shows the same cover. */
export function showCover(id, track) {
  const art = cover(track, "art", track ? `Cover of ${track.album ?? track.title}` : "");
  art.id = id;
  const old = $(id);
  if (old.getAttribute("src") !== art.getAttribute("src") || old.tagName !== art.tagName)
    old.replaceWith(art);
}

export const artists = (track) => track.artists.join(", ");

export function formatTime(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

/**
 * Where the playing track is: from the host's player reading when the server has one (frozen while
 * paused), else from when playback started.
 */
export function playbackPosition(room, now = Date.now()) {
  const playback = room.playback;
  const player = room.player;
  if (playback?.phase !== "playing" || !playback.track) return null;
  const duration = player?.durationMs ?? playback.track.durationMs;
  let elapsed;
  if (player && typeof player.progressMs === "number") {
    elapsed = player.progressMs + (player.status === "playing" ? now - player.at : 0);
  } else {
    elapsed = now - playback.startedAt;
  }
  return { elapsed: Math.min(Math.max(elapsed, 0), duration), duration };
}

/** Draws a progress bar and its time labels. */
export function drawProgress(bar, times, position) {
  bar.hidden = position === null;
  if (times) times.hidden = position === null;
  if (position === null) return;
  const percent = position.duration ? Math.round((position.elapsed / position.duration) * 1000) / 10 : 0;
  bar.firstElementChild.style.width = `${percent}%`;
  bar.setAttribute("aria-valuenow", String(Math.round(percent)));
  bar.setAttribute("aria-valuetext", `${formatTime(position.elapsed)} of ${formatTime(position.duration)}`);
  if (times) {
    times.firstElementChild.textContent = formatTime(position.elapsed);
    times.lastElementChild.textContent = formatTime(position.duration);
  }
}

let toastTimer = null;
export function toast(message, tone = "") {
  const box = $("status");
  box.textContent = message;
  box.className = `show ${tone}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    box.className = "";
  }, 4500);
}

/** Disables a control for `seconds` (a 429's Retry-After), then gives it back. */
export function coolDown(control, seconds, done) {
  if (!control || !seconds) return;
  control.dataset.coolingUntil = String(Date.now() + seconds * 1000);
  control.disabled = true;
  setTimeout(() => {
    delete control.dataset.coolingUntil;
    done?.();
  }, seconds * 1000);
}

export const isCooling = (control) => Number(control?.dataset.coolingUntil ?? 0) > Date.now();
