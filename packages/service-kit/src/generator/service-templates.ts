import type { DerivedNames } from "../manifest/derived-names.js";
import { type Domain, domainPackages } from "../manifest/domains.js";
import type { ServiceEntry } from "../manifest/schema.js";
import { secretsFor } from "../secrets/secret-specs.js";
import { domainTemplates, fillInMarker } from "./domain-templates.js";

/** What the templates of one service are rendered from. */
export interface TemplateContext {
  readonly service: ServiceEntry;
  readonly names: DerivedNames;
  /** The version range of the `@portside/*` packages the service depends on. */
  readonly portsideRange: string;
}

const factoryName = (domain: Domain) =>
  `${domain.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}Domain`;

function packageJson({ service, names, portsideRange }: TemplateContext): string {
  const dependencies: Record<string, string> = {
    "@portside/http": portsideRange,
    "@portside/service-kit": portsideRange,
  };
  for (const domain of service.domains) dependencies[domainPackages[domain]] = portsideRange;
  const pkg = {
    name: names.packageName,
    version: "0.0.0",
    private: true,
    type: "module",
    scripts: { dev: "tsx src/main.ts", test: "tsx --test test/*.test.ts", typecheck: "tsc --noEmit" },
    dependencies: Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b))),
    devDependencies: { "@types/node": "^20.19.0", tsx: "^4.20.0", typescript: "~5.9.3" },
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
  const imports = new Set<string>([
    'import type { FetchHandler } from "@portside/http";',
    'import { createServiceRouter, domainRoutes, type MountedDomain } from "@portside/service-kit";',
  ]);
  for (const domain of service.domains) for (const line of domainTemplates[domain].imports) imports.add(line);
  const sorted = [...imports].sort((a, b) => Number(!a.includes('"node:')) - Number(!b.includes('"node:')));
  const factories = service.domains.map(
    (domain) => `function ${factoryName(domain)}(): ComposedDomain {\n${domainTemplates[domain].factory}\n}`,
  );
  const union = service.domains.map((d) => `"${d}"`).join(" | ");
  return `${sorted.join("\n")}

// ${fillInMarker}: these are the embedded defaults (memory adapters); wire your deployment's adapters (see each domain's README).

/** A domain of this service, mounted with what it must stop on close. */
interface ComposedDomain extends MountedDomain {
  close?(): Promise<void>;
}

/** The domains this service composes. */
export type DomainName = ${union};

${factories.join("\n\n")}

const factories: Record<DomainName, () => ComposedDomain> = {
${service.domains.map((d) => `  "${d}": ${factoryName(d)},`).join("\n")}
};

/** ${service.name} as one fetch handler (\`GET /healthz\` included), and what stops it. */
export interface Service {
  readonly handler: FetchHandler;
  close(): Promise<void>;
}

/** Composes ${service.name}: every domain, or only those named (one Lambda function per domain). */
export function createService(only: readonly DomainName[] = Object.keys(factories) as DomainName[]): Service {
  const composed = only.map((name) => factories[name]());
  return {
    handler: createServiceRouter(${JSON.stringify(service.name)}, composed),
    close: async () => {
      await Promise.all(composed.map((domain) => domain.close?.()));
    },
  };
}
`;
}

function nodeEntry({ service }: TemplateContext): string {
  return `import { createServer } from "node:http";
import { createNodeListener } from "@portside/http/node";
import { createService } from "./service.js";

// \`portside dev\` sets PORT to the manifest's dev port.
const port = Number(process.env.PORT ?? ${service.devPort});
const service = createService();
const server = createServer(createNodeListener(service.handler));
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
  return `import { fetchHandlerToLambda } from "@portside/service-kit";
import { createService } from "../service.js";

const service = createService(["${domain}"]);

/** ${context.names.functionName(domain)} (stage dev): the ${domain} routes behind API Gateway (HTTP API) or a function URL. */
export const handler = fetchHandlerToLambda(service.handler);
`;
}

function envSample({ service }: TemplateContext): string {
  const secrets = secretsFor(service.domains);
  const secretLines = secrets.flatMap((s) => [
    `# ${s.description} (${s.kind === "generated" ? "portside secrets ensure" : "copied from Secrets Manager by portside secrets ensure --from-aws"}).`,
    `# ${s.envName}=`,
  ]);
  return `# ${service.name}: configuration read from the environment. Copy to .env or export the keys.
# Port of the Node entry; \`portside dev\` sets it to the dev port.
PORT=${service.devPort}
${
  secrets.length > 0
    ? `# ${fillInMarker}: the secrets the deployment's adapters read, once you wire them (src/service.ts).
${secretLines.join("\n")}
`
    : ""
}`;
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
  const service = createService();
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
embedded defaults (memory adapters) until \`src/service.ts\` wires the deployment's.

| | |
| --- | --- |
| dev | \`portside dev ${service.name}\` (http://localhost:${service.devPort}, \`GET /healthz\`) |
| test | \`npm test\` (smoke test) |
| Node entry | \`src/main.ts\` |
| Lambda entries | ${service.domains.map((d) => `\`src/lambda/${d}.ts\``).join(", ")} (functions \`<stage>-${names.id}-<domain>\`) |
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
  }
  return files;
}
