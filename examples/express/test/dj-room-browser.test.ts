import { existsSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadConfig } from "@portside-examples/services";
import express from "express";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDjRoomService } from "../../services/src/services/dj-room.js";
import { fetchHandlerMiddleware } from "../src/express-adapter.js";
import { type RunningServer, startServer } from "../src/server.js";

// `npm test` sets CHROMIUM_PATH (installing Debian's chromium when missing); never a downloaded browser.
const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

/** Changes made in another browser arrive over SSE; allow for a loaded machine. */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 50 });

const queueOrder = (page: Page) =>
  page.locator("#queue li").evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.trackId));

describe("dj-room web page in a real browser", () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!executablePath)
      throw new Error("No Chromium: run `npm test` (it installs Debian's chromium) or set CHROMIUM_PATH");
    server = await startServer(loadConfig({ LOG_LEVEL: "silent" }), ["dj-room"], 0);
    browser = await chromium.launch({
      executablePath,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  const phone = async (baseUrl = server.url) => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/dj`);
    return page;
  };

  const add = async (page: Page, query: string, trackId: string) => {
    await page.fill("#search-input", query);
    await page.click("#search-btn");
    await page.click(`#results li[data-track-id="${trackId}"] button.add`);
    await page.locator(`#queue li[data-track-id="${trackId}"]`).waitFor();
  };

  const vote = (page: Page, trackId: string, direction: "up" | "down") =>
    page.click(`#queue li[data-track-id="${trackId}"] button.${direction}`);

  it("host opens a room, two guests add and vote, every phone follows live, the host skips", async () => {
    const host = await phone();
    await host.fill("#host-name", "DJ Host");
    await host.fill("#room-name", "Launch party");
    await host.click("#host-open");
    await eventually(() => host.textContent("#room-code")).toMatch(/^[A-Z2-9]{6}$/);
    const code = (await host.textContent("#room-code"))!;
    await eventually(() => host.isVisible("#host-bar")).toBe(true);

    const join = async (name: string) => {
      const page = await phone();
      await page.fill("#join-code", code.toLowerCase());
      await page.fill("#join-name", name);
      await page.click("#join-btn");
      await eventually(() => page.textContent("#room-code")).toBe(code);
      await eventually(() => page.locator("#live.on").count()).toBe(1);
      return page;
    };
    const ada = await join("Ada");
    const bob = await join("Bob");
    expect(await ada.isVisible("#host-bar")).toBe(false);
    expect(await ada.isVisible("#start-btn")).toBe(false);

    await add(ada, "harbour", "demo-01");
    await add(bob, "neon", "demo-04");
    await eventually(() => queueOrder(ada)).toEqual(["demo-01", "demo-04"]);
    await eventually(() => queueOrder(host)).toEqual(["demo-01", "demo-04"]);

    // Bob likes his own track: it overtakes in Ada's and the host's views without a reload.
    await vote(bob, "demo-04", "up");
    await eventually(() => queueOrder(ada)).toEqual(["demo-04", "demo-01"]);
    await eventually(() => queueOrder(host)).toEqual(["demo-04", "demo-01"]);

    // Ada likes hers: a tie, broken by who was first; Bob's view follows.
    await vote(ada, "demo-01", "up");
    await eventually(() => queueOrder(bob)).toEqual(["demo-01", "demo-04"]);
    await eventually(() => bob.textContent('#queue li[data-track-id="demo-01"] .score')).toBe("1");

    // Adding a queued track counts as a like.
    await add(bob, "harbour", "demo-01");
    await eventually(() => ada.textContent('#queue li[data-track-id="demo-01"] .score')).toBe("2");

    await host.click("#start-btn");
    await eventually(() => ada.textContent("#now-playing")).toBe("Harbour Lights");
    await eventually(() => bob.textContent("#phase")).toBe("playing");
    await eventually(() => queueOrder(bob)).toEqual(["demo-04"]);

    await host.click("#skip-btn");
    await eventually(() => ada.textContent("#now-playing")).toBe("Neon Rain");
    await eventually(() => bob.textContent("#now-playing")).toBe("Neon Rain");
    await eventually(() => ada.locator("#history li").count()).toBe(1);
    await eventually(() => ada.textContent("#history li")).toContain("skipped");
    await eventually(() => queueOrder(ada)).toEqual([]);
  }, 120_000);

  it("falls back to refetching now and then where the host cannot stream (the Lambda composition)", async () => {
    const service = await createDjRoomService(loadConfig({ LOG_LEVEL: "silent" }), { streamEvents: false });
    const app = express();
    app.use(fetchHandlerMiddleware(service.handler));
    const plain = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
      const host = await phone(url);
      await host.fill("#host-name", "DJ");
      await host.click("#host-open");
      await eventually(() => host.textContent("#room-code")).toMatch(/^[A-Z2-9]{6}$/);
      const code = (await host.textContent("#room-code"))!;
      const guest = await phone(url);
      await guest.fill("#join-code", code);
      await guest.fill("#join-name", "Ada");
      await guest.click("#join-btn");
      await add(guest, "velvet", "demo-11");
      await eventually(() => queueOrder(host)).toEqual(["demo-11"]);
      expect(await host.locator("#live.on").count()).toBe(0);
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  }, 120_000);
});
