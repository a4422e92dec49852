import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accessibilityProblems,
  addTrack as add,
  eventually,
  joinRoom,
  openRoom,
  queueOrder,
  type RunningRoomServer,
  type screens,
  screenshot,
  smallTouchTargets,
  startDjRoomServer,
  useBrowser,
  vote,
} from "./dj-room-browser-support.js";

describe("dj-room web page in a real browser", () => {
  let server: RunningRoomServer;
  const browser = useBrowser();

  beforeAll(async () => {
    server = await startDjRoomServer();
  });
  afterAll(() => server?.close());

  const visit = (screen: keyof typeof screens, path = "/dj", baseUrl = server.url) =>
    browser.open(screen, `${baseUrl}${path}`);

  const join = async (code: string, name: string) => {
    const page = await visit("phone");
    await joinRoom(page, code, name);
    return page;
  };

  it("host and two guests: join with Enter, search as you type, add, vote, every screen follows live", async () => {
    const host = await visit("desktop");
    await screenshot(host, "desktop-landing");
    const code = await openRoom(host, "Launch party");
    const ada = await join(code, "Ada");
    const bob = await join(code, "Bob");
    expect(await ada.isVisible("#host-bar")).toBe(false);
    expect(await ada.isVisible("#start-btn")).toBe(false);

    // Search as you type: no button, results float over the page and the queue stays where it was.
    expect(await ada.locator("#search-form button").count()).toBe(0);
    const queueTop = async () => (await ada.locator("#queue-card").boundingBox())!.y;
    const before = await queueTop();
    await ada.fill("#search-input", "harbour");
    await ada.locator('#results li[data-track-id="demo-01"]').waitFor();
    expect(await ada.isVisible("#results-panel")).toBe(true);
    expect(await queueTop()).toBe(before);
    expect(before).toBeLessThan(844);
    await ada.click('#results li[data-track-id="demo-01"] button.add');
    await ada.locator('#queue li[data-track-id="demo-01"]').waitFor();
    await ada.press("#search-input", "Escape");
    expect(await ada.isVisible("#results-panel")).toBe(false);

    await add(bob, "neon", "demo-04");
    await eventually(() => queueOrder(ada)).toEqual(["demo-01", "demo-04"]);
    await eventually(() => queueOrder(host)).toEqual(["demo-01", "demo-04"]);

    // Cover art from the provider's track data, on every queue row.
    const art = host.locator('#queue li[data-track-id="demo-04"] img.art');
    await expect.poll(() => art.getAttribute("src")).toBe("/dj/art/demo-04.svg");
    await eventually(() => art.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);

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
    await add(ada, "slow orbit", "demo-05");

    await host.click("#start-btn");
    await eventually(() => ada.textContent("#now-playing")).toBe("Harbour Lights");
    await eventually(() => bob.getAttribute("#phase", "data-phase")).toBe("playing");
    await eventually(() => queueOrder(bob)).toEqual(["demo-04", "demo-05"]);
    await eventually(() => ada.getAttribute("#now-art", "src")).toBe("/dj/art/demo-01.svg");
    expect(await ada.isVisible("#progress")).toBe(true);
    await eventually(() => ada.textContent("#times span:last-child")).toBe("3:32");

    // The session belongs to the browser, not the tab: a new tab is the same guest.
    const adaAgain = await ada.context().newPage();
    await adaAgain.goto(`${server.url}/dj`);
    await eventually(() => adaAgain.textContent("#room-code")).toBe(code);
    expect(await adaAgain.textContent("#me-label")).toContain("Ada");
    await adaAgain.close();

    // Sharing: a QR code drawn by the server, a copyable link, a TV view for the host.
    expect(await ada.inputValue("#share-link")).toBe(`${server.url}/dj/${code}`);
    expect(await ada.getAttribute("#share-qr", "src")).toBe(`/dj/${code}/qr.svg`);
    await eventually(() =>
      ada.locator("#share-qr").evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBeGreaterThan(0);
    const qr = await fetch(`${server.url}/dj/${code}/qr.svg`);
    expect(qr.headers.get("content-type")).toBe("image/svg+xml");
    expect(await qr.text()).toContain("<svg");
    expect((await fetch(`${server.url}/dj/page/icon.svg`)).headers.get("content-type")).toBe("image/svg+xml");
    await ada.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await ada.click("#copy-link");
    await eventually(() => ada.textContent("#status")).toBe("Link copied: paste it anywhere.");
    expect(await ada.evaluate(() => navigator.clipboard.readText())).toBe(`${server.url}/dj/${code}`);
    expect(await host.getAttribute("#tv-link", "href")).toBe(`/dj/${code}/tv`);

    // The TV view, opened from the host's laptop (same browser, so the host's session).
    const tv = await host.context().newPage();
    await tv.setViewportSize({ width: 1920, height: 1080 });
    await tv.goto(`${server.url}/dj/${code}/tv`);
    await eventually(() => tv.textContent("#tv-title")).toBe("Harbour Lights");
    await eventually(() => tv.getAttribute("#tv-art", "src")).toBe("/dj/art/demo-01.svg");
    await eventually(() => tv.locator("#tv-queue li").count()).toBe(2);
    expect(await tv.isVisible("#tv-progress")).toBe(true);
    expect(await tv.locator("#tv-queue li img.art").count()).toBe(2);
    expect(await tv.textContent("#tv-join-text")).toBe(
      `Join at ${new URL(server.url).host}/dj with code ${code}`,
    );
    await vote(bob, "demo-05", "up");
    await vote(ada, "demo-05", "up");
    await eventually(() =>
      tv
        .locator("#tv-queue li")
        .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.trackId)),
    ).toEqual(["demo-05", "demo-04"]);

    // Accessibility, touch targets and the screenshots a person would look at.
    await eventually(() =>
      ada.locator("img").evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).complete)),
    ).toBe(true);
    expect(await accessibilityProblems(ada)).toEqual([]);
    expect(await accessibilityProblems(host)).toEqual([]);
    expect(await accessibilityProblems(tv)).toEqual([]);
    expect(await smallTouchTargets(ada)).toEqual([]);
    expect(await smallTouchTargets(host)).toEqual([]);
    await screenshot(ada, "phone-guest");
    await screenshot(host, "desktop-host");
    await screenshot(tv, "tv");
    // The host on a phone: the same browser session in a narrow window.
    const hostPhone = await host.context().newPage();
    await hostPhone.setViewportSize({ width: 390, height: 844 });
    await hostPhone.goto(`${server.url}/dj/${code}`);
    await eventually(() => queueOrder(hostPhone)).toEqual(["demo-05", "demo-04"]);
    expect(await smallTouchTargets(hostPhone)).toEqual([]);
    await screenshot(hostPhone, "phone-host");
    await hostPhone.close();
    await ada.fill("#search-input", "the");
    await eventually(() => ada.textContent("#results-label")).toMatch(/results? for “the”/);
    await screenshot(ada, "phone-guest-search");

    await host.click("#skip-btn");
    await eventually(() => ada.textContent("#now-playing")).toBe("Slow Orbit");
    await eventually(() => bob.textContent("#now-playing")).toBe("Slow Orbit");
    await eventually(() => tv.textContent("#tv-title")).toBe("Slow Orbit");
    await eventually(() => ada.locator("#history li").count()).toBe(1);
    await eventually(() => ada.textContent("#history li")).toContain("skipped");
  }, 180_000);

  it("shows a locked queue and a closed room to every guest, disables their controls, and reopens", async () => {
    const host = await visit("desktop");
    const code = await openRoom(host);
    const ada = await join(code, "Ada");
    await add(ada, "velvet", "demo-11");
    await eventually(() => queueOrder(host)).toEqual(["demo-11"]);

    // A screen at the venue with no session of its own: one tap shows the room.
    const screen = await browser.open("tv", `${server.url}/dj/${code}/tv`);
    await eventually(() => screen.isVisible("#tv-gate-btn")).toBe(true);
    expect(await accessibilityProblems(screen)).toEqual([]);
    await screen.click("#tv-gate-btn");
    // Nothing plays yet: the screen shows what will play first.
    await eventually(() => screen.textContent("#tv-title")).toBe("Velvet Signal");
    expect(await screen.textContent("#tv-phase")).toBe("Up first");
    expect(await screen.textContent("#tv-join-text")).toContain(code);

    await host.click("#lock-toggle");
    await eventually(() => host.getAttribute("#lock-toggle", "aria-pressed")).toBe("true");
    await eventually(() => ada.isVisible('#notices [data-kind="locked"]')).toBe(true);
    await eventually(() => ada.isDisabled("#search-input")).toBe(true);
    // Voting still works while the queue is locked; the host can still add.
    expect(await ada.isDisabled('#queue li[data-track-id="demo-11"] button.up')).toBe(false);
    expect(await host.isDisabled("#search-input")).toBe(false);
    await screenshot(ada, "phone-guest-locked");

    await host.click("#lock-toggle");
    await eventually(() => ada.isDisabled("#search-input")).toBe(false);
    await eventually(() => ada.locator('#notices [data-kind="locked"]').count()).toBe(0);

    await host.click("#close-btn");
    await eventually(() => ada.isVisible('#notices [data-kind="closed"]')).toBe(true);
    await eventually(() => ada.isDisabled('#queue li[data-track-id="demo-11"] button.up')).toBe(true);
    expect(await ada.isDisabled('#queue li[data-track-id="demo-11"] button.down')).toBe(true);
    expect(await ada.isDisabled("#search-input")).toBe(true);
    expect(await ada.isDisabled("#vote-skip-btn")).toBe(true);
    await eventually(() => host.isVisible("#reopen-btn")).toBe(true);
    expect(await host.isDisabled("#lock-toggle")).toBe(true);
    expect(await host.isDisabled("#start-btn")).toBe(true);
    expect(await accessibilityProblems(ada)).toEqual([]);
    await screenshot(ada, "phone-guest-closed");

    // Reopened: the host's controls come back at once; the guest's within the closed room's slow look-in.
    await host.click("#reopen-btn");
    await eventually(() => host.isVisible("#close-btn")).toBe(true);
    expect(await host.isDisabled("#lock-toggle")).toBe(false);
    await expect
      .poll(() => ada.isDisabled('#queue li[data-track-id="demo-11"] button.up'), { timeout: 25_000 })
      .toBe(false);
    await eventually(() => ada.locator("#live.on").count()).toBe(1);
  }, 120_000);

  it("says kindly when a limit answers 429 (the control rests until Retry-After) and when the host bans a guest", async () => {
    const host = await visit("desktop");
    const code = await openRoom(host);
    await host.evaluate(async (room) => {
      const { token } = JSON.parse(localStorage.getItem("portside-dj-sessions")!).rooms[room];
      await fetch(`/rooms/${room}/settings`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ limits: { cooldownSeconds: 60 } }),
      });
    }, code);
    const ada = await join(code, "Ada");
    await add(ada, "velvet", "demo-11");
    await ada.fill("#search-input", "neon");
    const second = ada.locator('#results li[data-track-id="demo-04"] button.add');
    await second.click();
    await eventually(() => ada.textContent("#status")).toMatch(
      /^Wait 60s between adds\. Try again in (59|60) s\.$/,
    );
    expect(await ada.getAttribute("#status", "class")).toContain("warn");
    expect(await second.isDisabled()).toBe(true);
    expect(await queueOrder(ada)).toEqual(["demo-11"]);

    // Searching as you type past the room's limit: the panel says how long to wait, typing stays possible.
    const limited = await ada.evaluate(async (room) => {
      const { token } = JSON.parse(localStorage.getItem("portside-dj-sessions")!).rooms[room];
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const response = await fetch(`/rooms/${room}/search?q=a${i}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        statuses.push(response.status);
      }
      return statuses.filter((status) => status === 429).length;
    }, code);
    expect(limited).toBeGreaterThan(0);
    await ada.fill("#search-input", "harbour");
    await eventually(() => ada.textContent("#results-label")).toMatch(
      /^Easy there: too many searches in a short time\. Try again in \d+ s\.$/,
    );
    expect(await ada.isDisabled("#search-input")).toBe(false);

    // Banned: the guest's page says so and goes back to the start, every tab of that browser too.
    await host.click('#guests button[aria-label="Ban Ada"]');
    await eventually(() => ada.isVisible("#join-form")).toBe(true);
    expect(await ada.textContent("#status")).toBe("The host removed you from this room.");
  }, 120_000);

  it("a guest whose live connection drops catches up on reconnect, each change once", async () => {
    const host = await visit("desktop");
    const code = await openRoom(host);
    const ada = await visit("phone", `/dj/${code}`);
    await screenshot(ada, "phone-join");
    expect(await accessibilityProblems(ada)).toEqual([]);
    await ada.fill("#join-name", "Ada");
    await ada.press("#join-name", "Enter");
    await eventually(() => ada.locator("#live.on").count()).toBe(1);
    await add(ada, "velvet", "demo-11");

    // The stream is cut and cannot come back for a while (a tunnel, a sleeping phone).
    await ada.route("**/rooms/*/events*", (route) => route.abort());
    server.dropConnections();
    await eventually(() => ada.locator("#live.on").count()).toBe(0);
    await host.fill("#search-input", "neon");
    await host.click('#results li[data-track-id="demo-04"] button.add');
    await host.click('#queue li[data-track-id="demo-04"] button.up');
    await eventually(() => queueOrder(host)).toEqual(["demo-04", "demo-11"]);
    // While the stream is down the page looks in now and then; once it is back, it is live again.
    await eventually(() => queueOrder(ada)).toEqual(["demo-04", "demo-11"]);
    await ada.unroute("**/rooms/*/events*");
    await eventually(() => ada.locator("#live.on").count()).toBe(1);
    await host.click('#queue li[data-track-id="demo-11"] button.down');
    await eventually(() => ada.textContent('#queue li[data-track-id="demo-11"] .score')).toBe("-1");
    expect(await ada.locator("#queue li").count()).toBe(2);
  }, 120_000);

  it("waits longer after each failed reconnect, from half a second up to half a minute, with jitter", async () => {
    const page = await visit("phone");
    // A string, so the test runner leaves the page's own dynamic import alone.
    const delays: number[] = await page.evaluate(
      `import("/dj/page/live.js").then(({ backoffDelay }) => Array.from({ length: 12 }, (_, n) => backoffDelay(n)))`,
    );
    expect(delays[0]).toBeGreaterThanOrEqual(500);
    expect(delays[0]).toBeLessThanOrEqual(650);
    expect(delays[3]).toBeGreaterThanOrEqual(4000);
    for (const delay of delays.slice(7)) {
      expect(delay).toBeGreaterThanOrEqual(30_000);
      expect(delay).toBeLessThanOrEqual(39_000);
    }
  });

  it("falls back to refetching now and then where the host cannot stream (the Lambda composition)", async () => {
    const plain = await startDjRoomServer({}, { streamEvents: false });
    try {
      const { url } = plain;
      const host = await visit("phone", "/dj", url);
      const code = await openRoom(host);
      const guest = await visit("phone", `/dj/${code}`, url);
      // The link fills in the code: a name and Enter are all it takes.
      expect(await guest.inputValue("#join-code")).toBe(code);
      await guest.fill("#join-name", "Ada");
      await guest.press("#join-name", "Enter");
      await add(guest, "velvet", "demo-11");
      await eventually(() => queueOrder(host)).toEqual(["demo-11"]);
      expect(await host.locator("#live.on").count()).toBe(0);
    } finally {
      await plain.close();
    }
  }, 120_000);
});
