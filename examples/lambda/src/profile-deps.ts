import { oncePerInstance } from "@portside/service-kit";
import { composeServices, loadConfig } from "@portside-examples/services";
import { fetchHandlerToLambda } from "./lambda-adapter.js";

const service = oncePerInstance(async () => (await composeServices(loadConfig(), ["profile-deps"]))[0]!);

/** The profile-deps HTTP API (`/profiles`, `/resolve`, `/packages`) behind API Gateway or a function URL. */
export const handler = fetchHandlerToLambda(async (request) => (await service()).handler(request));
