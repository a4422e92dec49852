import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * A local stand-in for an API Gateway WebSocket API (route selection `$request.body.action`,
 * Lambda proxy integrations), written from its documented behaviour:
 * - a browser WebSocket upgrade invokes `$connect` with the query string and headers; a
 *   non-2xx answer refuses the upgrade with that status. The connection exists only once
 *   `$connect` returned: a post to it before then answers 410, as API Gateway does;
 * - each text frame invokes the route named by its `action`, else `$default`; a route's
 *   `body` is sent back to the client (a two-way route);
 * - a closed socket invokes `$disconnect` (best effort, as documented);
 * - the management API: `POST /@connections/{id}` sends the body as one frame,
 *   `GET` describes the connection, `DELETE` closes it; a gone or unknown id answers 410
 *   `GoneException`.
 */
export type WebSocketRouteHandler = (event: {
  requestContext: {
    routeKey: string;
    eventType: "CONNECT" | "MESSAGE" | "DISCONNECT";
    connectionId: string;
    connectedAt: number;
    requestTimeEpoch: number;
    domainName: string;
    stage: string;
    apiId: string;
    messageId?: string;
    disconnectStatusCode?: number;
    identity: { sourceIp: string; userAgent?: string };
  };
  queryStringParameters?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded: boolean;
}) => Promise<{ statusCode: number; body?: string } | undefined>;

export interface ApiGatewayWebSocketStandIn {
  /** For browsers: `ws://127.0.0.1:<port>/<stage>`. */
  webSocketUrl: string;
  /** For `ApiGatewayManagementApiClient({ endpoint })`. */
  managementEndpoint: string;
  connectionIds(): string[];
  /** Replaces the route handlers (a deployment of new integrations). */
  setRoutes(routes: Record<string, WebSocketRouteHandler>): void;
  close(): Promise<void>;
}

interface Connection {
  socket: WebSocket;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string | undefined;
}

const gone = (connectionId: string) =>
  new Response(JSON.stringify({ message: `Connection ${connectionId} is gone` }), {
    status: 410,
    headers: { "content-type": "application/json", "x-amzn-errortype": "GoneException" },
  });

export async function startApiGatewayWebSocketStandIn(
  initialRoutes: Record<string, WebSocketRouteHandler>,
  stage = "test",
): Promise<ApiGatewayWebSocketStandIn> {
  let routes = initialRoutes;
  const apiId = randomBytes(5).toString("hex");
  const connections = new Map<string, Connection>();
  const wss = new WebSocketServer({ noServer: true });
  let domainName = "127.0.0.1";

  const context = (
    routeKey: string,
    eventType: "CONNECT" | "MESSAGE" | "DISCONNECT",
    connectionId: string,
    connectedAt: number,
    identity: { sourceIp: string; userAgent?: string },
  ) => ({
    routeKey,
    eventType,
    connectionId,
    connectedAt,
    requestTimeEpoch: Date.now(),
    domainName,
    stage,
    apiId,
    identity,
    ...(eventType === "MESSAGE" ? { messageId: randomBytes(8).toString("base64url") } : {}),
  });

  const invoke = async (routeKey: string, event: Parameters<WebSocketRouteHandler>[0]) => {
    const route = routes[routeKey] ?? routes.$default;
    if (!route) return { statusCode: 200 };
    try {
      return (await route(event)) ?? { statusCode: 200 };
    } catch {
      // A failed integration: API Gateway answers the client with an internal server error.
      return { statusCode: 500, body: JSON.stringify({ message: "Internal server error" }) };
    }
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = /^\/(?:[^/]+\/)?@connections\/([^/]+)$/.exec(url.pathname);
    const response = await (async () => {
      if (!match) return new Response(JSON.stringify({ message: "Not Found" }), { status: 404 });
      const connectionId = decodeURIComponent(match[1]!);
      const connection = connections.get(connectionId);
      if (!connection || connection.socket.readyState !== connection.socket.OPEN) return gone(connectionId);
      if (req.method === "POST") {
        const body = await readBody(req);
        if (body.length > 128 * 1024) {
          return new Response(JSON.stringify({ message: "Payload too large" }), { status: 413 });
        }
        connection.socket.send(body.toString("utf8"));
        connection.lastActiveAt = Date.now();
        return new Response(null, { status: 200 });
      }
      if (req.method === "GET") {
        return Response.json({
          ConnectedAt: new Date(connection.connectedAt).toISOString(),
          Identity: { SourceIp: connection.sourceIp, UserAgent: connection.userAgent },
          LastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        });
      }
      if (req.method === "DELETE") {
        connection.socket.close(1000);
        return new Response(null, { status: 204 });
      }
      return new Response(JSON.stringify({ message: "Method not allowed" }), { status: 405 });
    })();
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });

  server.on("upgrade", async (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const connectionId = `${randomBytes(9).toString("base64url")}=`;
    const connectedAt = Date.now();
    const identity = {
      sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
      ...(req.headers["user-agent"] ? { userAgent: req.headers["user-agent"] } : {}),
    };
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(",") : String(value),
      ]),
    );
    const query = Object.fromEntries(url.searchParams);
    const answer = await invoke("$connect", {
      requestContext: context("$connect", "CONNECT", connectionId, connectedAt, identity),
      ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
      headers,
      isBase64Encoded: false,
    });
    if (answer.statusCode < 200 || answer.statusCode > 299) {
      socket.end(`HTTP/1.1 ${answer.statusCode} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection: Connection = {
        socket: ws,
        connectedAt,
        lastActiveAt: connectedAt,
        sourceIp: identity.sourceIp,
        userAgent: identity.userAgent,
      };
      connections.set(connectionId, connection);
      ws.on("message", async (data, isBinary) => {
        connection.lastActiveAt = Date.now();
        const text = isBinary ? Buffer.from(data as Buffer).toString("base64") : data.toString();
        let routeKey = "$default";
        try {
          const action = (JSON.parse(text) as { action?: unknown })?.action;
          if (typeof action === "string" && routes[action]) routeKey = action;
        } catch {
          // Not JSON: `$default`.
        }
        const result = await invoke(routeKey, {
          requestContext: context(routeKey, "MESSAGE", connectionId, connectedAt, identity),
          body: text,
          isBase64Encoded: isBinary,
        });
        if (result.body !== undefined && ws.readyState === ws.OPEN) ws.send(result.body);
      });
      ws.on("close", (code) => {
        connections.delete(connectionId);
        void invoke("$disconnect", {
          requestContext: {
            ...context("$disconnect", "DISCONNECT", connectionId, connectedAt, identity),
            disconnectStatusCode: code,
          },
          isBase64Encoded: false,
        });
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  domainName = `127.0.0.1:${port}`;
  return {
    webSocketUrl: `ws://127.0.0.1:${port}/${stage}`,
    managementEndpoint: `http://127.0.0.1:${port}/${stage}`,
    connectionIds: () => [...connections.keys()],
    setRoutes(next) {
      routes = next;
    },
    async close() {
      for (const { socket } of connections.values()) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
