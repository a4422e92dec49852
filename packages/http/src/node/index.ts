export {
  createNodeListener,
  DEFAULT_DRAIN_LIMIT,
  type FetchHandler,
  type NodeAdapterOptions,
  sendWebResponse,
  toWebRequest,
} from "./adapter.js";
export { createExpressMiddleware, type ExpressLikeRequest } from "./express-middleware.js";
export { DEFAULT_SERVER_TIMEOUTS, type ServerTimeouts, serverTimeoutOptions } from "./server-timeouts.js";
