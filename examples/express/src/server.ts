import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type ComposedService,
  type Config,
  composeServices,
  createRouter,
  type ServiceName,
} from "@portside-examples/services";
import express from "express";
import { fetchHandlerMiddleware } from "./express-adapter.js";

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
  app.use(fetchHandlerMiddleware(createRouter(services)));
  let server: Server | undefined;
  try {
    for (const service of services) await service.start?.();
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(port, "127.0.0.1", (error?: Error) => (error ? reject(error) : resolve(s)));
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
