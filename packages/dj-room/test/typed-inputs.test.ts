import type { DjRoom, Session } from "@portside/dj-room";
import { describe, expect, expectTypeOf, it } from "vitest";
import { testRoom } from "./support.js";

/** Mistakes that must not compile (checked by `tsc -p packages/dj-room`), then the right calls run. */
function mistakes(dj: DjRoom, session: Session) {
  // @ts-expect-error a vote is -1, 0 or 1
  void dj.vote(session, "entry", 2);
  // @ts-expect-error a vote is a number, not "up"
  void dj.vote(session, "entry", "up");
  // @ts-expect-error a track id is a string
  void dj.addTrack(session, { id: "demo-01" });
  // @ts-expect-error the room's name is a string
  void dj.openRoom("host", { name: 42 });
  // @ts-expect-error unknown room option
  void dj.openRoom("host", { title: "Party" });
  // @ts-expect-error settings are typed: locked is a boolean
  void dj.updateSettings(session, { locked: "yes" });
  // @ts-expect-error limits are numbers
  void dj.updateSettings(session, { limits: { cooldownSeconds: "10" } });
  // @ts-expect-error a guest needs a name
  void dj.joinRoom("ABCDEF", {});
}

describe("typed inputs", () => {
  it("takes the typed inputs and still parses them at runtime", async () => {
    const { dj } = testRoom();
    expectTypeOf(mistakes).toBeFunction();
    const host = await dj.openRoom("host", {
      name: "Party",
      settings: { locked: false, limits: { cooldownSeconds: 0 } },
    });
    const session = await dj.authenticate(host.token);
    const { entry } = await dj.addTrack(session, "demo-01");
    expect((await dj.vote(session, entry.id, 1)).score).toBe(1);
    // Untyped callers still meet the runtime check.
    await expect(dj.vote(session, entry.id, 2 as never)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(dj.joinRoom(host.room.code, {} as never)).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
  });
});
