import {
  InvalidConfigError,
  isServiceName,
  loadConfig,
  serviceDefinition,
  serviceNames,
} from "@portside-examples/services";
import { startServer } from "./server.js";

const DEFAULT_PORT = 8080;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const requested = argv.filter((a) => !a.startsWith("-"));
  const unknown = requested.filter((name) => !isServiceName(name));
  if (unknown.length > 0 || requested.length > 1) {
    throw new UsageError(
      `Usage: npm start [-- <service>], where <service> is one of: ${serviceNames.join(", ")}`,
    );
  }
  const config = loadConfig();
  const one = requested[0];
  const names = one && isServiceName(one) ? [one] : serviceNames;
  const port = config.PORT ?? (one && isServiceName(one) ? serviceDefinition(one).devPort : DEFAULT_PORT);
  const server = await startServer(config, names, port);
  console.log(`Portside serving ${names.join(", ")} on ${server.url} (health: ${server.url}/healthz)`);
  for (const service of server.services) {
    console.log(
      `  ${service.name}: ${Object.entries(service.adapters)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")}`,
    );
  }
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    console.log("Shutting down...");
    server.close().finally(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof InvalidConfigError || error instanceof UsageError ? error.message : error);
  process.exit(1);
});
