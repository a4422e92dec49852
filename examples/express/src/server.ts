import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createExpressMiddleware, serverTimeoutOptions } from "@portside/http/node";
import {
  type ComposedService,
  type Config,
  composeServices,
  createRouter,
  type ServiceName,
} from "@portside-examples/services";
import express from "express";

export interface RunningServer {
  url: string;
  services: ComposedService[];
  close(): Promise<void>;
}

/** Composes the named services, starts their background work and serves them on one port. */
export async function startServer(
  config: Config,
  names: readonly ServiceName[],
  port: number,
): Promise<RunningServer> {
  const services = await composeServices(config, names);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(createExpressMiddleware(createRouter(services)));
  let server: Server | undefined;
  try {
    for (const service of services) await service.start?.();
    // Slow clients are dropped: headers within HTTP_HEADERS_TIMEOUT_MS, the whole request (body
    // included) within HTTP_REQUEST_TIMEOUT_MS; idle keep-alive connections after HTTP_KEEP_ALIVE_TIMEOUT_MS.
    const s = createServer(
      serverTimeoutOptions({
        headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
        requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
        keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      }),
      app,
    );
    server = await new Promise<Server>((resolve, reject) => {
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => resolve(s));
    });
  } catch (error) {
    await Promise.allSettled(services.map((s) => s.close?.()));
    throw error;
  }
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    services,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled(services.map((s) => s.close?.()));
    },
  };
}
