/**
 * How the dj-room WebSocket API routes a message: by the `action` of its JSON body. `hello` and
 * `ping` have no route of their own, so they reach `$default`, where `createWebSocketRoutes`
 * answers them.
 */
export const WEBSOCKET_ROUTE_SELECTION_EXPRESSION = "$request.body.action";

/** The routes `createWebSocketRoutes` serves, each integrated with the one WebSocket function. */
export const WEBSOCKET_ROUTE_KEYS = ["$connect", "$disconnect", "$default"] as const;
