import { admitAdd, defaultRoomSettings, isDjRoomError } from "@portside/dj-room";
import { guestFixture } from "@portside/dj-room/testing";
import { describe, expect, it } from "vitest";

const limits = { maxQueuedPerGuest: 2, cooldownSeconds: 10, addsPerMinute: 3 };

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (isDjRoomError(error, "LIMIT_EXCEEDED")) return error;
    throw error;
  }
  throw new Error("expected limit_exceeded");
}

describe("per-guest limits", () => {
  it("admits an add and records it", () => {
    const guest = admitAdd(guestFixture("r"), 0, limits, 1_000);
    expect(guest).toMatchObject({ lastAddAt: 1_000, addWindowStart: 1_000, addWindowCount: 1 });
  });

  it("refuses more queued tracks than allowed", () => {
    expect(refusal(() => admitAdd(guestFixture("r"), 2, limits, 0)).details).toMatchObject({
      limit: "maxQueuedPerGuest",
      retryWhen: "one of your queued tracks plays or is removed",
    });
  });

  it("refuses an add inside the cooldown, saying when to retry", () => {
    const guest = admitAdd(guestFixture("r"), 0, limits, 100_000);
    const error = refusal(() => admitAdd(guest, 1, limits, 103_500));
    expect(error.details).toMatchObject({ limit: "cooldown" });
    expect(error.retryAfterSeconds).toBe(7);
    expect(admitAdd(guest, 1, limits, 110_000).addWindowCount).toBe(2);
  });

  it("refuses adds over the per-minute rate until the window passes", () => {
    const noCooldown = { ...limits, cooldownSeconds: 0, maxQueuedPerGuest: 10 };
    let guest = guestFixture("r");
    for (const at of [0, 1_000, 2_000]) guest = admitAdd(guest, 0, noCooldown, at);
    const error = refusal(() => admitAdd(guest, 0, noCooldown, 30_000));
    expect(error.details).toMatchObject({ limit: "addsPerMinute" });
    expect(error.retryAfterSeconds).toBe(30);
    expect(admitAdd(guest, 0, noCooldown, 60_000)).toMatchObject({
      addWindowStart: 60_000,
      addWindowCount: 1,
    });
  });

  it("has defaults that admit a first add", () => {
    expect(admitAdd(guestFixture("r"), 0, defaultRoomSettings.limits, 5).addWindowCount).toBe(1);
  });
});
