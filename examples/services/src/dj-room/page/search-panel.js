// Search as you type: debounced, the previous request aborted, results floating over the page so
// the queue never moves; Escape, the close button or a tap elsewhere closes them.

import { ApiError, describeError } from "./api.js";
import { setDisabled } from "./room-view.js";
import { $, artists, cover, el } from "./ui.js";

const DEBOUNCE_MS = 300;
const MIN_QUERY = 2;

/**
 * @param {{ search(query: string, signal: AbortSignal): Promise<object[]>,
 *   add(track: object): Promise<void>, queuedIds(): Set<string>,
 *   guard(work: Function, control: HTMLElement): Function }} options
 */
export function createSearchPanel(options) {
  const input = $("search-input");
  const panel = $("results-panel");
  let timer = null;
  let inFlight = null;
  let lastQuery = "";
  /** After a 429 the panel waits out Retry-After, says so, then searches what is typed by then. */
  let restingUntil = 0;

  const hide = () => {
    panel.hidden = true;
  };

  const resultRow = (track, queued) => {
    const add = el("button", { type: "button", className: "add primary" });
    const label = (done) => {
      add.textContent = done ? "Queued" : "Add";
      add.classList.toggle("done", done);
      add.setAttribute("aria-label", `${add.textContent}: ${track.title} by ${artists(track)}`);
    };
    label(queued);
    add.onclick = options.guard(async () => {
      await options.add(track);
      label(true);
      // On a phone the results cover the queue: close them (the search is done) to show the song arriving.
      if (matchMedia("(max-width: 899px)").matches) {
        input.value = "";
        hide();
      }
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
  };

  async function search(query) {
    inFlight?.abort();
    if (query.length < MIN_QUERY) {
      hide();
      return;
    }
    if (Date.now() < restingUntil) return;
    inFlight = new AbortController();
    let tracks;
    try {
      tracks = await options.search(query, inFlight.signal);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 429)) throw error;
      const seconds = error.retryAfter ?? 5;
      restingUntil = Date.now() + seconds * 1000;
      $("results-label").textContent = describeError(error);
      $("results").replaceChildren();
      panel.hidden = false;
      setTimeout(() => run(input.value.trim()), seconds * 1000);
      return;
    }
    if (query !== input.value.trim()) return;
    lastQuery = query;
    const queued = options.queuedIds();
    $("results-label").textContent = tracks.length
      ? `${tracks.length} result${tracks.length === 1 ? "" : "s"} for “${query}”`
      : `No songs match “${query}”.`;
    $("results").replaceChildren(...tracks.map((track) => resultRow(track, queued.has(track.id))));
    panel.hidden = false;
  }

  const run = (query) => options.guard(() => search(query), input)();

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (query.length >= MIN_QUERY && Date.now() >= restingUntil)
      $("results-label").textContent = `Searching for “${query}”…`;
    timer = setTimeout(() => run(query), DEBOUNCE_MS);
  });
  input.addEventListener("focus", () => {
    if (lastQuery && input.value.trim() === lastQuery && $("results").children.length) panel.hidden = false;
  });
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value.trim());
  });
  $("results-close").onclick = () => {
    hide();
    input.focus();
  };
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      hide();
      input.focus();
    }
  });
  document.addEventListener("pointerdown", (event) => {
    if (!$("search-area").contains(event.target) && !event.target.closest?.("#status")) hide();
  });

  return {
    hide,
    /** Who may add right now: nobody in a closed room, only the host in a locked one. */
    follow(state) {
      const closed = state.room.status === "closed";
      const canAdd = !closed && (state.me.role === "host" || !state.room.settings.locked);
      setDisabled(input, !canAdd);
      input.placeholder = closed
        ? "The room is closed"
        : canAdd
          ? "Search songs or artists to add"
          : "The host locked the queue";
      if (!canAdd) {
        input.value = "";
        hide();
      }
      for (const button of $("results").querySelectorAll("button.add")) setDisabled(button, !canAdd);
    },
  };
}
