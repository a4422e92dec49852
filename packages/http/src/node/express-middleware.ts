import type { IncomingMessage, ServerResponse } from "node:http";
import { type FetchHandler, type NodeAdapterOptions, sendWebResponse, toWebRequest } from "./adapter.js";

/**
 * Mounts a fetch handler as Express (4 or 5) middleware: the URL as Express sees it (its
 * `trust proxy` protocol, the original path under any mount point), the body streamed with
 * backpressure, a refused body (413) drained or answered with `Connection: close`, and a
 * handler's rejection passed to `next`.
 */
export function createExpressMiddleware(handler: FetchHandler, options: NodeAdapterOptions = {}) {
  // What it reads of an Express request, typed structurally: no dependency on express.
  type ExpressRequest = IncomingMessage & {
    protocol: string;
    originalUrl: string;
    get(name: string): string | undefined;
  };
  return (req: ExpressRequest, res: ServerResponse, next: (error?: unknown) => void): void => {
    const url = `${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`;
    handler(toWebRequest(req, res, options, url))
      .then((response) => sendWebResponse(response, req, res, options))
      .catch(next);
  };
}
