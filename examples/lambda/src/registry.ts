import { type ComposedService, composeServices, loadConfig } from "@portside-examples/services";
import { fetchHandlerToLambda } from "./lambda-adapter.js";

let composed: Promise<ComposedService> | undefined;

function service(): Promise<ComposedService> {
  composed ??= composeServices(loadConfig(), ["registry"]).then(([s]) => s!);
  return composed;
}

/** The registry HTTP API (`/entityType`, `/entity`) behind API Gateway or a function URL. */
export const handler = fetchHandlerToLambda(async (request) => (await service()).handler(request));
