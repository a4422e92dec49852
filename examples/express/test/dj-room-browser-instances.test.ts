import { randomBytes } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { deleteTables, tableNames } from "@portside/adapters-aws/dynamodb";
import { commonConfigSchema } from "@portside/service-kit";
import { createDjRoomWebSocketHandler, djRoomConfigSchema } from "@portside/service-kit/dj-room";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsClientConfig, awsEndpoint, uniqueName } from "#test-support";
import {
  type ApiGatewayWebSocketStandIn,
  startApiGatewayWebSocketStandIn,
  type WebSocketRouteHandler,
} from "../../../packages/adapters-aws/test/dj-room/api-gateway-websocket-stand-in.js";
import {
  accessibilityProblems,
  addTrack as add,
  eventually,
  joinRoom,
  openRoom,
  queueOrder,
  type RunningRoomServer,
  screenshot,
  startDjRoomServer,
  useBrowser,
} from "./dj-room-browser-support.js";

/**
 * The deployment the issue describes: two instances behind a load balancer share one DynamoDB
 * table and one API Gateway WebSocket API (the local stand-in). Browsers on either instance
 * follow every change live, whichever instance made it.
 */
describe("dj-room page on two instances sharing a store", () => {
  const prefix = uniqueName("dj-page");
  let gateway: ApiGatewayWebSocketStandIn;
  let first: RunningRoomServer;
  let second: RunningRoomServer;
  const browser = useBrowser();

  beforeAll(async () => {
    gateway = await startApiGatewayWebSocketStandIn({});
    const env = {
      DYNAMODB_TABLES_USERID: prefix,
      AWS_ENDPOINT_URL: awsEndpoint(),
      AWS_ENDPOINT_URL_DYNAMODB: awsEndpoint("dynamodb"),
      AWS_REGION: awsClientConfig().region,
      DJ_ROOM_SESSION_SECRET: randomBytes(24).toString("hex"),
      DJ_ROOM_WEBSOCKET_URL: gateway.webSocketUrl,
      DJ_ROOM_WEBSOCKET_ENDPOINT: gateway.managementEndpoint,
    };
    first = await startDjRoomServer(env);
    second = await startDjRoomServer(env);
    const routes = (await createDjRoomWebSocketHandler(
      commonConfigSchema.extend(djRoomConfigSchema.shape).parse({ LOG_LEVEL: "silent", ...env }),
    )) as unknown as WebSocketRouteHandler;
    gateway.setRoutes({ $connect: routes, $disconnect: routes, $default: routes });
  }, 120_000);

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await gateway?.close();
    await deleteTables(new DynamoDBClient(awsClientConfig("dynamodb")), [tableNames(prefix).rooms]);
  });

  /** A page that records the WebSocket URLs it opens. */
  const visit = async (baseUrl: string, screen: "phone" | "desktop") => {
    const page = await browser.open(screen, "about:blank");
    const sockets: string[] = [];
    page.on("websocket", (socket) => sockets.push(socket.url()));
    await page.goto(`${baseUrl}/dj`);
    return { page, sockets };
  };

  const join = async (baseUrl: string, code: string, name: string) => {
    const guest = await visit(baseUrl, "phone");
    await joinRoom(guest.page, code, name);
    return guest;
  };

  it("a host and a guest on one instance and a guest on the other see every change live; late guests are told joins are closed", async () => {
    const { page: host } = await visit(first.url, "desktop");
    const code = await openRoom(host);
    const { page: ada } = await join(first.url, code, "Ada");
    const bob = await join(second.url, code, "Bob");
    // The state named the WebSocket API, and the page used it.
    expect(bob.sockets.some((url) => url.startsWith(gateway.webSocketUrl))).toBe(true);

    await add(bob.page, "neon", "demo-04");
    await eventually(() => queueOrder(host)).toEqual(["demo-04"]);
    await eventually(() => queueOrder(ada)).toEqual(["demo-04"]);
    await add(ada, "harbour", "demo-01");
    await eventually(() => queueOrder(bob.page)).toEqual(["demo-04", "demo-01"]);

    await ada.click('#queue li[data-track-id="demo-01"] button.up');
    await eventually(() => queueOrder(bob.page)).toEqual(["demo-01", "demo-04"]);
    await eventually(() => queueOrder(host)).toEqual(["demo-01", "demo-04"]);
    await bob.page.click('#queue li[data-track-id="demo-01"] button.up');
    await eventually(() => ada.textContent('#queue li[data-track-id="demo-01"] .score')).toBe("2");

    await host.click("#lock-toggle");
    await eventually(() => bob.page.isDisabled("#search-input")).toBe(true);

    // Closed to new guests: someone arriving by the link on the other instance is told so.
    await host.click("#joins-toggle");
    await eventually(() => host.isVisible('#notices [data-kind="joins"]')).toBe(true);
    const late = await browser.open("phone", `${second.url}/dj/${code}`);
    await eventually(() => late.textContent("#landing-sub")).toBe(
      "The host isn't letting new guests in right now.",
    );
    expect(await late.isDisabled("#join-btn")).toBe(true);
    await host.click("#start-btn");
    await eventually(() => bob.page.textContent("#now-playing")).toBe("Harbour Lights");
    await eventually(() => queueOrder(bob.page)).toEqual(["demo-04"]);
    expect(await accessibilityProblems(bob.page)).toEqual([]);
    await screenshot(bob.page, "phone-guest-second-instance");

    await host.click("#close-btn");
    await eventually(() => bob.page.isVisible('#notices [data-kind="closed"]')).toBe(true);
    await eventually(() => ada.isDisabled('#queue li[data-track-id="demo-04"] button.up')).toBe(true);
  }, 180_000);
});
