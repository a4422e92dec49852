import { connect, type Socket } from "node:net";
import { loadConfig } from "@portside-examples/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../src/server.js";

/** What the server sends before it closes the socket, and whether it closed it. */
function slowClient(port: number, send: string): Promise<{ received: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, "127.0.0.1", () => socket.write(send));
    let received = "";
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
    });
    socket.on("error", () => {});
    socket.on("close", () => resolve({ received, closed: true }));
  });
}

describe("Express host timeouts", () => {
  let server: RunningServer;
  let port: number;
  beforeAll(async () => {
    server = await startServer(
      loadConfig({ LOG_LEVEL: "silent", HTTP_HEADERS_TIMEOUT_MS: "1000", HTTP_REQUEST_TIMEOUT_MS: "1500" }),
      ["profile-deps"],
      0,
    );
    port = Number(new URL(server.url).port);
  });
  afterAll(() => server?.close());

  it("drops a client that sends its body too slowly, answering 408", async () => {
    const result = await slowClient(
      port,
      'POST /profiles HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":',
    );
    expect(result.closed).toBe(true);
    expect(result.received).toMatch(/^HTTP\/1\.1 408/);
  }, 10_000);

  it("drops a client that never finishes its headers", async () => {
    const result = await slowClient(port, "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ");
    expect(result.closed).toBe(true);
    expect(result.received).toMatch(/^HTTP\/1\.1 408/);
  }, 10_000);
});
