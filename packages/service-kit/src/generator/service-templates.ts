import { commonConfigSchema } from "../config/common-config.js";
import { type DerivedNames, DJ_ROOM_WEBSOCKET_HANDLER } from "../manifest/derived-names.js";
import type { Domain } from "../manifest/domains.js";
import type { ServiceEntry } from "../manifest/schema.js";
import { secretsFor } from "../secrets/secret-specs.js";
import { configDocs } from "./config-docs.js";
import { domainConfigSchemas } from "./domain-config-schemas.js";
import { domainTemplates, fillInMarker } from "./domain-templates.js";

/** What the templates of one service are rendered from. */
export interface TemplateContext {
  readonly service: ServiceEntry;
  readonly names: DerivedNames;
  /** The version range of the `@portside/*` packages the service depends on. */
  readonly portsideRange: string;
  /** Ranges of the other packages the domains' compositions import (the kit's peer ranges). */
  readonly peerRanges?: Readonly<Record<string, string>>;
}

function packageJson({ service, names, portsideRange, peerRanges = {} }: TemplateContext): string {
  const dependencies: Record<string, string> = {
    "@portside/http": portsideRange,
    "@portside/service-kit": portsideRange,
  };
  if (service.hosts.includes("express")) dependencies.express = "^5.1.0";
  if (service.usesAws)
    dependencies["@aws-sdk/client-secrets-manager"] = peerRanges["@aws-sdk/client-secrets-manager"] ?? "*";
  for (const domain of service.domains) {
    for (const name of domainTemplates[domain].packages)
      dependencies[name] = name.startsWith("@portside/") ? portsideRange : (peerRanges[name] ?? "*");
  }
  const pkg = {
    name: names.packageName,
    version: "0.0.0",
    private: true,
    type: "module",
    scripts: { dev: "tsx src/main.ts", test: "tsx --test test/*.test.ts", typecheck: "tsc --noEmit" },
    dependencies: Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b))),
    devDependencies: {
      ...(service.hosts.includes("express") ? { "@types/express": "^5.0.0" } : {}),
      "@types/node": "^20.19.0",
      tsx: "^4.20.0",
      typescript: "~5.9.3",
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

const tsconfig = `${JSON.stringify(
  {
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      types: ["node"],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    },
    include: ["src", "test"],
  },
  null,
  2,
)}\n`;

function serviceModule({ service }: TemplateContext): string {
  const imports = [
    'import { type AnyDomainModule, type ComposedServiceHandle, composeService, stageSecrets } from "@portside/service-kit";',
    ...service.domains.map((domain) => domainTemplates[domain].import),
  ];
  return `${imports.join("\n")}

/** The domains ${service.name} composes, each served by its package's HTTP handler. */
export const domains = {
${service.domains.flatMap((domain) => domainTemplates[domain].entry).join("\n")}
} satisfies Record<string, AnyDomainModule>;

/** A domain of this service. */
export type DomainName = keyof typeof domains;

/**
 * Composes ${service.name}: every domain, or only those named (one Lambda function per domain).
 * Embedded defaults (memory adapters, no AWS) unless the environment configures the AWS
 * adapters: see .env.sample. Secrets the environment does not set are read from the stage's
 * files (\`portside secrets ensure\`), or from Secrets Manager on Lambda.
 */
export async function createService(
  only: readonly DomainName[] = Object.keys(domains) as DomainName[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ComposedServiceHandle> {
  return composeService({
    name: ${JSON.stringify(service.name)},
    domains: only.map((name) => domains[name]),
    env,
    secrets: await stageSecrets(env),
  });
}
`;
}

function nodeEntry({ service }: TemplateContext): string {
  const express = service.hosts.includes("express");
  return `import { createServer } from "node:http";
import { ${express ? "createExpressMiddleware" : "createNodeListener"}, serverTimeoutOptions } from "@portside/http/node";
${express ? 'import express from "express";\n' : ""}import { createService } from "./service.js";

// \`portside dev\` sets PORT to the manifest's dev port.
const port = Number(process.env.PORT ?? ${service.devPort});
const service = await createService();
await service.start();
${
  express
    ? `const app = express();
app.disable("x-powered-by");
// Your own routes and middleware go here, before the service's.
app.use(createExpressMiddleware(service.handler));
`
    : ""
}// Slow clients are dropped (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS).
const timeouts = serverTimeoutOptions({
  headersTimeoutMs: service.config.HTTP_HEADERS_TIMEOUT_MS,
  requestTimeoutMs: service.config.HTTP_REQUEST_TIMEOUT_MS,
  keepAliveTimeoutMs: service.config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
});
const server = createServer(timeouts, ${express ? "app" : "createNodeListener(service.handler)"});
server.listen(port, () => console.log(\`${service.name} on http://localhost:\${port}\`));

function stop() {
  server.close(() => void service.close().then(() => process.exit(0)));
  server.closeAllConnections();
}
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
`;
}

function lambdaEntry(context: TemplateContext, domain: Domain): string {
  return `import { fetchHandlerToLambda, oncePerInstance } from "@portside/service-kit";
import { createService } from "../service.js";

// Composed on the instance's first request and kept; a failed start is retried on the next.
const service = oncePerInstance(() => createService(["${domain}"]));

/** ${context.names.functionName(domain)} (stage dev): the ${domain} routes behind API Gateway (HTTP API) or a function URL. */
export const handler = fetchHandlerToLambda(async (request) => (await service()).handler(request));
`;
}

/** The functions a domain needs beside its HTTP one: its queue consumer, its WebSocket routes, its schedule. */
const extraLambdas: Partial<
  Record<Domain, readonly { name: string; import: string; factory: string; what: string }[]>
> = {
  "event-recorder": [
    {
      name: "event-recorder-sqs",
      import: "@portside/service-kit/event-recorder",
      factory: "eventRecorderSqsLambda",
      what: "the audit queue's SQS event source (ReportBatchItemFailures)",
    },
  ],
  "profile-deps": [
    {
      name: "profile-deps-validator",
      import: "@portside/service-kit/profile-deps",
      factory: "profileDepsValidatorLambda",
      what: "the profile-validation queue's SQS event source: resolves each changed profile and publishes the result",
    },
    {
      name: "profile-deps-results",
      import: "@portside/service-kit/profile-deps",
      factory: "profileDepsResultsLambda",
      what: "the profile-results queue's SQS event source: applies each result to the revision it was computed for",
    },
  ],
  "dj-room": [
    {
      name: DJ_ROOM_WEBSOCKET_HANDLER,
      import: "@portside/service-kit/dj-room",
      factory: "djRoomWebSocketLambda",
      what: "the dj-room WebSocket API's $connect, $disconnect and $default routes",
    },
    {
      name: "dj-room-playback",
      import: "@portside/service-kit/dj-room",
      factory: "djRoomPlaybackLambda",
      what: "an EventBridge schedule (every minute) advancing rooms whose song has ended",
    },
  ],
};

function extraLambdaEntries(context: TemplateContext): Record<string, string> {
  const files: Record<string, string> = {};
  for (const domain of context.service.domains) {
    for (const lambda of extraLambdas[domain] ?? []) {
      files[`src/lambda/${lambda.name}.ts`] = `import { ${lambda.factory} } from "${lambda.import}";

/** ${context.names.functionName(lambda.name)} (stage dev): ${lambda.what}. */
export const handler = ${lambda.factory}();
`;
    }
  }
  return files;
}

/** A comment as `# ` lines of at most 100 characters. */
function commentLines(text: string): string[] {
  const lines: string[] = [];
  let line = "#";
  for (const word of text.split(" ")) {
    if (line.length + word.length + 1 > 100 && line !== "#") {
      lines.push(line);
      line = "#";
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

/** The `.env.sample` of a service: its domains' keys with their meaning, and the lines to fill in. */
export function envSample({ service }: Pick<TemplateContext, "service">): string {
  const secrets = new Map(secretsFor(service.domains).map((spec) => [spec.envName, spec]));
  const keyLines = (keys: readonly string[]) =>
    keys
      .filter((key) => key !== "PORT" && key !== "DYNAMODB_TABLES_USERID")
      .flatMap((key) => {
        const secret = secrets.get(key);
        const made =
          secret?.kind === "generated" ? ` Secret ${secret.name}: made by portside secrets ensure.` : "";
        const doc = `${configDocs[key] ?? secret?.description ?? ""}${made}`.trim();
        const issued =
          secret?.kind === "third-party"
            ? [
                `# ${fillInMarker}: secret ${secret.name}, issued to you (portside secrets ensure --from-aws copies it).`,
              ]
            : [];
        return [...(doc ? commentLines(doc) : []), ...issued, `# ${key}=`];
      });
  const sections = [
    ["shared", Object.keys(commonConfigSchema.shape)] as const,
    ...service.domains.map((domain) => [domain, Object.keys(domainConfigSchemas[domain].shape)] as const),
  ];
  return `# ${service.name}: configuration read from the environment. Copy to .env or export the keys.
# Nothing set: embedded defaults (memory stores, in-process queues, an embedded PostgreSQL), no AWS.

# Port of the Node entry; \`portside dev\` sets it to the dev port.
PORT=${service.devPort}
# ${fillInMarker}: the stage (e.g. dev) to run on AWS: tables <stage>-<table>, created by \`portside setup --stage <stage>\`.
# DYNAMODB_TABLES_USERID=
${sections.map(([title, keys]) => `\n## ${title}\n${keyLines(keys).join("\n")}`).join("\n")}
`;
}

function smokeTest({ service }: TemplateContext): string {
  const [first] = service.domains;
  const smoke = domainTemplates[first as Domain].smoke;
  const init = `{ method: "${smoke.method}"${smoke.body === undefined ? "" : `, body: ${JSON.stringify(smoke.body)}`} }`;
  return `import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { createNodeListener } from "@portside/http/node";
import { createService } from "../src/service.js";

test("${service.name} answers /healthz and serves its domains", async (t) => {
  // On embedded defaults whatever the shell's environment says.
  const service = await createService(undefined, {});
  const server = createServer(createNodeListener(service.handler)).listen(0, "127.0.0.1");
  await once(server, "listening");
  t.after(async () => {
    server.closeAllConnections();
    server.close();
    await service.close();
  });
  const base = \`http://127.0.0.1:\${(server.address() as AddressInfo).port}\`;

  const health = await fetch(\`\${base}/healthz\`);
  assert.equal(health.status, 200);
  const body = (await health.json()) as { domains: { name: string }[] };
  assert.deepEqual(body.domains.map((d) => d.name), ${JSON.stringify(service.domains)});

  const response = await fetch(\`\${base}${smoke.path}\`, ${init});
  assert.equal(response.status, ${smoke.status}, await response.text());
});
`;
}

function readme({ service, names }: TemplateContext): string {
  return `# ${names.packageName}

<!-- ${fillInMarker}: what this service is for, who calls it. -->

\`${service.name}\` composes ${service.domains.map((d) => `\`${d}\``).join(", ")} into one fetch handler, on
embedded defaults (memory adapters, no AWS) until the environment configures the AWS adapters
(\`DYNAMODB_TABLES_USERID=<stage>\` and the keys in \`.env.sample\`).

| | |
| --- | --- |
| dev | \`portside dev ${service.name}\` (http://localhost:${service.devPort}, \`GET /healthz\`) |
| test | \`npm test\` (smoke test) |
| Node entry | \`src/main.ts\` (${service.hosts.includes("express") ? "an Express app" : "`node:http`"}, with the server timeouts) |
| Lambda entries | \`src/lambda/*.ts\` (function \`<stage>-${names.id}-<file name>\` each) |
| AWS resources | \`portside setup ${service.name} --dry-run\` |
`;
}

/** Every file of a new service, by path relative to its folder. */
export function serviceFiles(context: TemplateContext): Record<string, string> {
  const files: Record<string, string> = {
    "package.json": packageJson(context),
    "tsconfig.json": tsconfig,
    "src/service.ts": serviceModule(context),
    "src/main.ts": nodeEntry(context),
    ".env.sample": envSample(context),
    "test/smoke.test.ts": smokeTest(context),
    "README.md": readme(context),
  };
  if (context.service.hosts.includes("lambda")) {
    for (const domain of context.service.domains)
      files[`src/lambda/${domain}.ts`] = lambdaEntry(context, domain);
    Object.assign(files, extraLambdaEntries(context));
  }
  return files;
}
