import { createInProcessBus } from "@portside/profile-deps";
import { describe, expect, it } from "vitest";

describe("in-process bus", () => {
  it("delivers asynchronously: publish returns before any subscriber runs", async () => {
    const bus = createInProcessBus();
    const seen: string[] = [];
    bus.subscribe("Ping", (event) => {
      seen.push(`ping ${JSON.stringify(event.detail)}`);
    });
    await bus.publish({ type: "Ping", detail: { n: 1 } });
    seen.push("after publish");
    await bus.idle();
    expect(seen).toEqual(["after publish", 'ping {"n":1}']);
  });

  it("hands subscribers a copy, so a publisher's later changes do not leak", async () => {
    const bus = createInProcessBus();
    let received: unknown;
    bus.subscribe("Ping", (event) => {
      received = event.detail;
    });
    const detail = { list: [1] };
    await bus.publish({ type: "Ping", detail });
    detail.list.push(2);
    await bus.idle();
    expect(received).toEqual({ list: [1] });
  });

  it("keeps a failing subscriber from reaching the publisher or other subscribers", async () => {
    const errors: unknown[] = [];
    const bus = createInProcessBus({ onError: (error) => errors.push(error) });
    let delivered = 0;
    bus.subscribe("Ping", () => {
      throw new Error("boom");
    });
    bus.subscribe("*", () => {
      delivered++;
    });
    await expect(
      bus.publish([
        { type: "Ping", detail: {} },
        { type: "Other", detail: {} },
      ]),
    ).resolves.toBeUndefined();
    await bus.idle();
    expect(delivered).toBe(2);
    expect(errors).toEqual([new Error("boom")]);
  });

  it("waits in idle() for deliveries that publish further events", async () => {
    const bus = createInProcessBus();
    const order: string[] = [];
    bus.subscribe("First", async () => {
      await new Promise((r) => setTimeout(r, 10));
      order.push("first");
      await bus.publish({ type: "Second", detail: {} });
    });
    bus.subscribe("Second", () => {
      order.push("second");
    });
    await bus.publish({ type: "First", detail: {} });
    await bus.idle();
    expect(order).toEqual(["first", "second"]);
  });

  it("stops delivering to an unsubscribed handler and refuses events once closed", async () => {
    const bus = createInProcessBus();
    let count = 0;
    const unsubscribe = bus.subscribe("Ping", () => {
      count++;
    });
    await bus.publish({ type: "Ping", detail: {} });
    await bus.idle();
    unsubscribe();
    await bus.publish({ type: "Ping", detail: {} });
    await bus.idle();
    expect(count).toBe(1);
    await bus.close();
    await expect(bus.publish({ type: "Ping", detail: {} })).rejects.toThrow(/closed/);
  });
});
