import { existsSync, mkdirSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createExpressMiddleware } from "@portside/http/node";
import { commonConfigSchema } from "@portside/service-kit";
import { djRoomConfigSchema } from "@portside/service-kit/dj-room";
import { createDjRoomService, type DjRoomServiceOptions } from "@portside-examples/services";
import express from "express";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";

// `npm test` sets CHROMIUM_PATH (installing Debian's chromium when missing); never a downloaded browser.
const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export const SCREENSHOTS = fileURLToPath(new URL("./screenshots/", import.meta.url));
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Changes made in another browser arrive live; allow for a loaded machine. */
export type Eventually = ReturnType<typeof expect.poll>;
export const eventually = (read: () => unknown): Eventually =>
  expect.poll(read, { timeout: 15_000, interval: 50 });

export const screens = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  desktop: { viewport: { width: 1366, height: 860 } },
  tv: { viewport: { width: 1920, height: 1080 } },
} as const;

async function launchBrowser(): Promise<Browser> {
  if (!executablePath)
    throw new Error("No Chromium: run `npm test` (it installs Debian's chromium) or set CHROMIUM_PATH");
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
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
}

const uncaught: string[] = [];
/** Uncaught script errors and CSP refusals in any browser opened so far: a test file ends with none. */
export const pageErrors = () => [...uncaught];

/** One person's browser: its own storage, so its own session. */
async function openBrowser(
  browser: Browser,
  contexts: BrowserContext[],
  screen: keyof typeof screens,
): Promise<BrowserContext> {
  const context = await browser.newContext(screens[screen]);
  contexts.push(context);
  // "Close the room for everyone?" and the like.
  context.on("page", (page) => {
    page.on("dialog", (dialog) => dialog.accept());
    page.on("pageerror", (error) => uncaught.push(`${page.url()}: ${error.message}`));
    // The page's own CSP refusing one of its scripts, styles, images or sockets is a bug too.
    page.on("console", (message) => {
      if (message.text().includes("Content Security Policy"))
        uncaught.push(`${page.url()}: ${message.text()}`);
    });
  });
  return context;
}

export const queueOrder = (page: Page) =>
  page.locator("#queue li").evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.trackId));

/** Serious and critical axe-core violations on the page as it is now. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Every control a finger presses is at least 44x44 CSS pixels. */
export async function smallTouchTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("button, a.button, input")]
      .filter((node) => node.offsetParent !== null)
      .map((node) => ({ node, box: node.getBoundingClientRect() }))
      .filter(({ box }) => box.width < 44 || box.height < 44)
      .map(({ node, box }) => `${node.id || node.className || node.tagName} ${box.width}x${box.height}`),
  );
}

export const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: false });

export interface RunningRoomServer {
  url: string;
  /** Cuts every open connection, live streams included, as a network blip would. */
  dropConnections(): void;
  close(): Promise<void>;
}

/**
 * The dj-room service alone behind Express, as the example server mounts it (without composing
 * the other domains, so this test depends on dj-room only).
 */
export async function startDjRoomServer(
  env: Record<string, string> = {},
  options: DjRoomServiceOptions = {},
): Promise<RunningRoomServer> {
  const config = commonConfigSchema.extend(djRoomConfigSchema.shape).parse({ LOG_LEVEL: "silent", ...env });
  const service = await createDjRoomService(config, options);
  const app = express();
  app.use(createExpressMiddleware(service.handler));
  await service.start?.();
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dropConnections: () => server.closeAllConnections(),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await service.close?.();
    },
  };
}

/**
 * Chromium for one test file: `open` gives a page in a new browser (its own storage, so its own
 * session) at a screen size; at the end every browser closes and no page may have thrown.
 */
export function useBrowser() {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    expect(pageErrors()).toEqual([]);
  });
  return {
    async open(screen: keyof typeof screens, url: string): Promise<Page> {
      const page = await (await openBrowser(browser, contexts, screen)).newPage();
      await page.goto(url);
      return page;
    },
  };
}

/** Opens a room from the landing page; returns its code. */
export async function openRoom(host: Page, roomName?: string): Promise<string> {
  await host.fill("#host-name", "DJ Host");
  if (roomName) await host.fill("#room-name", roomName);
  await host.click("#host-open");
  await eventually(() => host.textContent("#room-code")).toMatch(/^[A-Z2-9]{6}$/);
  await eventually(() => host.isVisible("#host-bar")).toBe(true);
  return (await host.textContent("#room-code"))!;
}

/** Joins from the landing page by typing the code and name and pressing Enter: no button click. */
export async function joinRoom(page: Page, code: string, name: string): Promise<void> {
  await page.fill("#join-code", code.toLowerCase());
  await page.fill("#join-name", name);
  await page.press("#join-name", "Enter");
  await eventually(() => page.textContent("#room-code")).toBe(code);
  await eventually(() => page.locator("#live.on").count()).toBe(1);
}

/** Types a query (results come as you type) and adds one result. */
export async function addTrack(page: Page, query: string, trackId: string): Promise<void> {
  await page.fill("#search-input", query);
  await page.click(`#results li[data-track-id="${trackId}"] button.add`);
  await page.locator(`#queue li[data-track-id="${trackId}"]`).waitFor();
}

export const vote = (page: Page, trackId: string, direction: "up" | "down") =>
  page.click(`#queue li[data-track-id="${trackId}"] button.${direction}`);
