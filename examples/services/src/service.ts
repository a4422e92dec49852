import type { ServiceName } from "./manifest.js";

/** A Web-standard fetch handler: the shape of every domain's `./http` export. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** One domain composed with its adapters, ready for a host to mount. */
export interface ComposedService {
  name: ServiceName;
  handler: FetchHandler;
  /** Which adapter serves each port, as `/healthz` reports it (e.g. `{ store: "dynamodb:dev-profiles" }`). */
  adapters: Record<string, string>;
  /** Background work a long-running host starts (pollers, buses). Lambda hosts never call it. */
  start?(): Promise<void>;
  /** Stops background work and releases connections. */
  close?(): Promise<void>;
}
