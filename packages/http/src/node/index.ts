export {
  createNodeListener,
  DEFAULT_DRAIN_LIMIT,
  type FetchHandler,
  type NodeAdapterOptions,
  sendWebResponse,
  toWebRequest,
} from "./adapter.js";
export { createExpressMiddleware } from "./express-middleware.js";
export { DEFAULT_SERVER_TIMEOUTS, type ServerTimeouts, serverTimeoutOptions } from "./server-timeouts.js";
