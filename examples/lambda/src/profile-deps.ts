import { type ComposedService, composeServices, loadConfig } from "@portside-examples/services";
import { fetchHandlerToLambda } from "./lambda-adapter.js";

let composed: Promise<ComposedService> | undefined;

function service(): Promise<ComposedService> {
  composed ??= composeServices(loadConfig(), ["profile-deps"]).then(([s]) => s!);
  return composed;
}

/** The profile-deps HTTP API (`/profiles`, `/resolve`, `/packages`) behind API Gateway or a function URL. */
export const handler = fetchHandlerToLambda(async (request) => (await service()).handler(request));
