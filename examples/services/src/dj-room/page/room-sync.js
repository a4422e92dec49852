// Keeps one room's state on screen: fetches `/state`, follows live messages by version (a message
// at or below the version shown is a duplicate and ignored; anything newer, or a reconnect after a
// gap, refetches), and looks in slowly on a closed room in case the host reopens it.

import { call, sessionEnd } from "./api.js";
import { connectLive } from "./live.js";

const CLOSED_POLL_MS = 10_000;

/**
 * @param {{ code: string, token: string, onState(state): void, onConnected(on: boolean): void,
 *   onRemoved(reason: "banned" | "ended"): void, onError(error): void }} options
 */
export function syncRoom(options) {
  const roomPath = `/rooms/${encodeURIComponent(options.code)}`;
  let known = -1;
  let current = null;
  let live = null;
  let timer = null;
  let closedPoll = null;
  let stopped = false;

  const versionOf = (state) => state.version ?? state.room.version;

  async function refresh() {
    if (stopped) return;
    let state;
    try {
      state = await call("GET", `${roomPath}/state`, { token: options.token });
    } catch (error) {
      const ended = sessionEnd(error);
      if (ended) {
        stop();
        options.onRemoved(ended);
        return;
      }
      throw error;
    }
    if (stopped) return;
    const version = versionOf(state);
    // A slower, older answer must not undo a newer one already on screen.
    if (typeof version === "number" && version < known) return;
    if (typeof version === "number") known = version;
    current = state;
    options.onState(state);
    followStatus(state);
  }

  function schedule(delay = 120) {
    clearTimeout(timer);
    timer = setTimeout(() => refresh().catch(options.onError), delay);
  }

  function connect(state) {
    live = connectLive({
      token: options.token,
      live: state.live ?? { transport: "sse", url: `${roomPath}/events` },
      onConnected: options.onConnected,
      onReady(version) {
        if (version === undefined || version !== known) schedule(0);
      },
      onMessage(message) {
        if (typeof message.version === "number" && message.version <= known) return;
        if (message.type === "guest.banned" && message.data?.guestId === current?.me.id) {
          stop();
          options.onRemoved("banned");
          return;
        }
        schedule();
      },
      onGap: () => schedule(0),
    });
  }

  /** A closed room streams nothing: stop listening, look in now and then. */
  function followStatus(state) {
    const closed = state.room.status === "closed";
    if (closed) {
      live?.close();
      live = null;
      closedPoll ??= setInterval(() => refresh().catch(options.onError), CLOSED_POLL_MS);
      return;
    }
    clearInterval(closedPoll);
    closedPoll = null;
    if (!live) connect(state);
    else if (state.live) live.update(state.live);
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
    clearInterval(closedPoll);
    live?.close();
    live = null;
  }

  return {
    start: () => refresh(),
    refresh,
    schedule,
    /** Back from the background: reconnect now and catch up. */
    wake() {
      live?.wake();
      schedule(0);
    },
    stop,
    get state() {
      return current;
    },
  };
}
