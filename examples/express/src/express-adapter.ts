import { type NodeAdapterOptions, sendWebResponse, toWebRequest } from "@portside/http/node";
import type { FetchHandler } from "@portside-examples/services";
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";

/**
 * Mounts a Web-standard fetch handler as Express middleware, through `@portside/http/node`: the
 * request body streams with backpressure, and a body the handler refused (413) is drained or
 * answered with `Connection: close`, never reset under a keep-alive client.
 */
export function fetchHandlerMiddleware(handler: FetchHandler, options: NodeAdapterOptions = {}) {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction): void => {
    const url = `${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`;
    handler(toWebRequest(req, res, options, url))
      .then((response) => sendWebResponse(response, req, res, options))
      .catch(next);
  };
}
