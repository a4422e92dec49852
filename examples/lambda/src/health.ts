import { serviceManifest } from "@portside-examples/services";
import { fetchHandlerToLambda } from "./lambda-adapter.js";

/** `GET /healthz`: the services this deployment serves, as the manifest declares them. */
export const handler = fetchHandlerToLambda(async () =>
  Response.json({
    status: "ok",
    services: serviceManifest.map((s) => ({ name: s.name, domains: s.domains })),
  }),
);
