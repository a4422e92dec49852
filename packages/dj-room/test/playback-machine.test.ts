import { type Playback, skipThreshold, transitionPlayback } from "@portside/dj-room";
import { trackFixture } from "@portside/dj-room/testing";
import { describe, expect, it } from "vitest";

const entry = { id: "e1", track: trackFixture("t1") };
const idle: Playback = { phase: "idle", since: 0 };

describe("now-playing state machine", () => {
  it("goes idle -> playing -> ended -> playing -> skipped -> idle", () => {
    const playing = transitionPlayback(idle, { type: "start", playId: "p1", entry, at: 1 });
    expect(playing).toMatchObject({ phase: "playing", playId: "p1", entryId: "e1", startedAt: 1 });
    const ended = transitionPlayback(playing, { type: "end", at: 2 });
    expect(ended).toMatchObject({ phase: "ended", playId: "p1", endedAt: 2 });
    const again = transitionPlayback(ended, { type: "start", playId: "p2", entry, at: 3 });
    const skipped = transitionPlayback(again, { type: "skip", at: 4 });
    expect(skipped).toMatchObject({ phase: "skipped", playId: "p2", startedAt: 3, endedAt: 4 });
    expect(transitionPlayback(skipped, { type: "stop", at: 5 })).toEqual({ phase: "idle", since: 5 });
  });

  it("refuses transitions the machine does not have", () => {
    const playing = transitionPlayback(idle, { type: "start", playId: "p1", entry, at: 1 });
    expect(() => transitionPlayback(idle, { type: "skip", at: 1 })).toThrow(
      expect.objectContaining({ code: "INVALID_TRANSITION" }),
    );
    expect(() => transitionPlayback(idle, { type: "end", at: 1 })).toThrow(/Cannot end while idle/);
    expect(() => transitionPlayback(playing, { type: "start", playId: "p2", entry, at: 2 })).toThrow(
      /Cannot start while playing/,
    );
    expect(() => transitionPlayback(playing, { type: "stop", at: 2 })).toThrow(/Cannot stop while playing/);
  });

  it("needs a share of active participants to skip, never fewer than the minimum", () => {
    expect(skipThreshold(10, { share: 0.5, minVotes: 2 })).toBe(5);
    expect(skipThreshold(3, { share: 0.5, minVotes: 2 })).toBe(2);
    expect(skipThreshold(7, { share: 0.5, minVotes: 1 })).toBe(4);
    expect(skipThreshold(0, { share: 1, minVotes: 3 })).toBe(3);
  });
});
