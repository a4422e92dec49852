import {
  type Api,
  type ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  GetApisCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand,
  type Integration,
  type Route,
  type Stage,
  UpdateRouteCommand,
  UpdateStageCommand,
} from "@aws-sdk/client-apigatewayv2";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { WebSocketApiResource } from "./resources.js";
import type { SetupClients } from "./setup-clients.js";

/** Where a WebSocket API that setup ensured is reached. */
export interface WebSocketApiEndpoint {
  readonly name: string;
  readonly apiId: string;
  /** What browsers connect to: `wss://{apiId}.execute-api.{region}.amazonaws.com/{stage}`. */
  readonly url: string;
  /** The management (callback) endpoint `PostToConnection` is sent to: the same with https. */
  readonly callbackUrl: string;
  /** The function every route invokes. */
  readonly functionName: string;
  /** The `execute-api` ARN the function's resource policy must allow to invoke it. */
  readonly sourceArn: string;
}

interface LiveApi {
  readonly api: Api;
  readonly integration: Integration | undefined;
  readonly routes: readonly Route[];
  readonly stage: Stage | undefined;
}

function apiClient(clients: SetupClients): ApiGatewayV2Client {
  if (!clients.apigatewayv2) {
    throw new TypeError("A WebSocket API needs clients.apigatewayv2 (@aws-sdk/client-apigatewayv2)");
  }
  return clients.apigatewayv2;
}

async function all<T>(page: (token?: string) => Promise<{ Items?: T[]; NextToken?: string }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const { Items = [], NextToken } = await page(token);
    items.push(...Items);
    token = NextToken;
  } while (token);
  return items;
}

const invokes = (functionName: string) => (integration: Integration) =>
  integration.IntegrationUri?.endsWith(`:function:${functionName}/invocations`) === true;

async function namedApis(client: ApiGatewayV2Client, name: string): Promise<Api[]> {
  const apis = await all((NextToken) => client.send(new GetApisCommand({ NextToken })));
  return apis.filter((api) => api.Name === name);
}

/** The APIs named like the resource, each with its integration of the function, routes and stage. */
async function liveApi(client: ApiGatewayV2Client, resource: WebSocketApiResource): Promise<LiveApi[]> {
  return Promise.all(
    (await namedApis(client, resource.name)).map(async (api) => {
      const ApiId = api.ApiId!;
      const [integrations, routes, stages] = await Promise.all([
        all((NextToken) => client.send(new GetIntegrationsCommand({ ApiId, NextToken }))),
        all((NextToken) => client.send(new GetRoutesCommand({ ApiId, NextToken }))),
        all((NextToken) => client.send(new GetStagesCommand({ ApiId, NextToken }))),
      ]);
      return {
        api,
        integration: integrations.find(invokes(resource.functionName)),
        routes,
        stage: stages.find((s) => s.StageName === resource.stageName),
      };
    }),
  );
}

/**
 * Compares the live API with the resource. Another protocol or route selection expression, or a
 * route sent elsewhere, is drift; a missing integration, route or stage is an update.
 */
export async function planWebSocketApi(
  clients: SetupClients,
  resource: WebSocketApiResource,
): Promise<["create" | "update" | "unchanged" | "drift", string[]]> {
  const found = await liveApi(apiClient(clients), resource);
  if (found.length > 1) return ["drift", [`${found.length} APIs are named ${resource.name}`]];
  const live = found[0];
  if (!live) {
    return [
      "create",
      [
        `WEBSOCKET, routes ${resource.routeKeys.join(", ")} to function ${resource.functionName}, stage ${resource.stageName}`,
      ],
    ];
  }
  const { api, integration, routes, stage } = live;
  const drift: string[] = [];
  if (api.ProtocolType !== "WEBSOCKET")
    drift.push(`protocol is ${api.ProtocolType}, dj-room needs WEBSOCKET`);
  if (api.RouteSelectionExpression !== resource.routeSelectionExpression) {
    drift.push(
      `route selection expression is ${api.RouteSelectionExpression}, dj-room needs ${resource.routeSelectionExpression}`,
    );
  }
  const changes: string[] = [];
  if (!integration) changes.push(`integrate function ${resource.functionName}`);
  for (const key of resource.routeKeys) {
    const route = routes.find((r) => r.RouteKey === key);
    if (!route) changes.push(`add route ${key}`);
    else if (!route.Target) changes.push(`send route ${key} to function ${resource.functionName}`);
    else if (route.Target !== `integrations/${integration?.IntegrationId}`) {
      drift.push(`route ${key} goes to ${route.Target}, not to function ${resource.functionName}`);
    }
  }
  if (!stage) changes.push(`deploy stage ${resource.stageName}`);
  else if (!stage.AutoDeploy) changes.push(`let stage ${resource.stageName} deploy every change`);
  if (drift.length > 0) return ["drift", drift];
  return changes.length > 0 ? ["update", changes] : ["unchanged", []];
}

/** The account and partition of the caller, for the function's ARN. */
async function caller(clients: SetupClients): Promise<{ account: string; partition: string }> {
  if (!clients.sts) throw new TypeError("A WebSocket API needs clients.sts (@aws-sdk/client-sts)");
  const { Account, Arn } = await clients.sts.send(new GetCallerIdentityCommand({}));
  return { account: Account!, partition: Arn!.split(":")[1]! };
}

/** Creates what the plan found missing: the API, the function's integration, routes, the stage. */
export async function applyWebSocketApi(
  clients: SetupClients,
  resource: WebSocketApiResource,
): Promise<void> {
  const client = apiClient(clients);
  const live = (await liveApi(client, resource))[0];
  const api =
    live?.api ??
    (await client.send(
      new CreateApiCommand({
        Name: resource.name,
        ProtocolType: "WEBSOCKET",
        RouteSelectionExpression: resource.routeSelectionExpression,
      }),
    ));
  const ApiId = api.ApiId!;
  let integrationId = live?.integration?.IntegrationId;
  if (!integrationId) {
    const region = await client.config.region();
    const { account, partition } = await caller(clients);
    const functionArn = `arn:${partition}:lambda:${region}:${account}:function:${resource.functionName}`;
    ({ IntegrationId: integrationId } = await client.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: "AWS_PROXY",
        IntegrationMethod: "POST",
        IntegrationUri: `arn:${partition}:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
      }),
    ));
  }
  const Target = `integrations/${integrationId}`;
  for (const RouteKey of resource.routeKeys) {
    const route = live?.routes.find((r) => r.RouteKey === RouteKey);
    if (!route) await client.send(new CreateRouteCommand({ ApiId, RouteKey, Target }));
    else if (!route.Target)
      await client.send(new UpdateRouteCommand({ ApiId, RouteId: route.RouteId, Target }));
  }
  if (!live?.stage) {
    await client.send(new CreateStageCommand({ ApiId, StageName: resource.stageName, AutoDeploy: true }));
  } else if (!live.stage.AutoDeploy) {
    await client.send(new UpdateStageCommand({ ApiId, StageName: resource.stageName, AutoDeploy: true }));
  }
}

/** The URLs of an existing WebSocket API's stage (undefined when there is no such API). */
export async function webSocketApiEndpoint(
  clients: SetupClients,
  resource: WebSocketApiResource,
): Promise<WebSocketApiEndpoint | undefined> {
  const client = apiClient(clients);
  const [api] = await namedApis(client, resource.name);
  if (!api?.ApiId || !api.ApiEndpoint) return undefined;
  const host = new URL(api.ApiEndpoint).host;
  const region = await client.config.region();
  const { account, partition } = await caller(clients);
  return {
    name: resource.name,
    apiId: api.ApiId,
    url: `wss://${host}/${resource.stageName}`,
    callbackUrl: `https://${host}/${resource.stageName}`,
    functionName: resource.functionName,
    sourceArn: `arn:${partition}:execute-api:${region}:${account}:${api.ApiId}/*`,
  };
}
