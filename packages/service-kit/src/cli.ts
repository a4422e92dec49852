import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { runSecretsCommand } from "./cli/secrets-command.js";
import { ServiceKitError, ServiceKitErrorCode } from "./errors.js";
import { secretsManagerPrefix, secretsManagerSecrets } from "./secrets/secrets-manager-source.js";

const usage = `Usage: portside <command> [options]

Commands:
  new <name>                     write the service's package (composition, Node and Lambda
                                 entries, .env.sample, smoke test, README) into services/<name>;
                                 never overwrites; --domains a,b --port n add its manifest entry
  dev [selector...]              run the selected services on their dev ports (npm run dev in each
                                 service's folder), embedded defaults unless configured otherwise
  setup [selector...]            create the AWS resources the selected services need (tables,
                                 queues, rules, secrets, the dj-room WebSocket API); drift is
                                 reported, never changed
  template [selector...]         print the same resources as a CloudFormation template
  env-sample [selector...]       rewrite each service's .env.sample from its domains' config
                                 schemas; --check fails on drift instead (for CI)
  secrets ensure [selector...]   make every secret the selected services need exist locally
                                 (generated ones made, third-party ones copied with --from-aws)
  secrets rotate-jwt             new current JWT signing key; the previous one keeps verifying
  secrets jwks                   print the public JWKS of the signing keys

Selectors: a service name (rooms/api), a prefix (rooms) or a group (%party); none means all enabled.

Options:
  --stage <name>      stage: prefixes tables, queues and rules; names the secrets (default: dev)
  --event-bus <name>  EventBridge bus of the rules (default: default)
  --manifest <path>   manifest file (default: the nearest portside.services.json)
  --from-aws          copy third-party secrets from AWS Secrets Manager (<prefix><name>)
  --aws-prefix <p>    Secrets Manager name prefix (default: portside/<stage>/)
  --domains <a,b>     (new) the domains of a service the manifest does not list yet
  --port <n>          (new) its dev port
  --install           (new) run npm install afterwards
  --check             (env-sample) fail when a .env.sample differs, write nothing
  --dry-run           print the plan, change nothing
  --version, --help`;

function kitPackage(): { version: string; peerDependencies: Record<string, string> } {
  return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
}

function version(): string {
  return kitPackage().version;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stage: { type: "string", default: "dev" },
      manifest: { type: "string" },
      "from-aws": { type: "boolean", default: false },
      "aws-prefix": { type: "string" },
      "event-bus": { type: "string" },
      "dry-run": { type: "boolean", default: false },
      domains: { type: "string" },
      port: { type: "string" },
      install: { type: "boolean", default: false },
      check: { type: "boolean", default: false },
      version: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.version) {
    console.log(version());
    return 0;
  }
  const [command, action, ...selectors] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  if (command === "secrets") {
    const stage = values.stage;
    await runSecretsCommand(action, {
      stage,
      dryRun: values["dry-run"],
      selectors,
      ...(values.manifest ? { manifestPath: values.manifest } : {}),
      ...(values["from-aws"]
        ? { source: await secretsManagerSecrets(values["aws-prefix"] ?? secretsManagerPrefix(stage)) }
        : {}),
      print: (line) => console.log(line),
    });
    return 0;
  }
  if (command === "new") {
    const { runNewCommand } = await import("./cli/new-command.js");
    await runNewCommand({
      name: action,
      dryRun: values["dry-run"],
      install: values.install,
      portsideRange: `^${version()}`,
      // The optional peers the domains and `portside setup` import, by the ranges the kit supports.
      peerRanges: kitPackage().peerDependencies,
      ...(values.domains ? { domains: values.domains } : {}),
      ...(values.port ? { port: values.port } : {}),
      ...(values.manifest ? { manifestPath: values.manifest } : {}),
      print: (line) => console.log(line),
    });
    return 0;
  }
  if (command === "env-sample") {
    const { loadManifest } = await import("./manifest/load-manifest.js");
    const { selectServices } = await import("./manifest/select-services.js");
    const { runEnvSampleCommand } = await import("./cli/env-sample-command.js");
    const { manifest, path } = await loadManifest(values.manifest);
    runEnvSampleCommand({
      manifest,
      manifestPath: path,
      services: selectServices(
        manifest,
        [action, ...selectors].filter((s): s is string => s !== undefined),
      ),
      check: values.check,
      dryRun: values["dry-run"],
      print: (line) => console.log(line),
    });
    return 0;
  }
  if (command === "dev") {
    const { loadManifest } = await import("./manifest/load-manifest.js");
    const { selectServices } = await import("./manifest/select-services.js");
    const { planDev, runDev, stopDev } = await import("./cli/dev-command.js");
    const { manifest, path } = await loadManifest(values.manifest);
    const services = selectServices(
      manifest,
      [action, ...selectors].filter((s): s is string => s !== undefined),
    );
    if (values["dry-run"]) {
      console.log("portside dev (dry run)");
      for (const step of planDev({ manifest, manifestPath: path, services }))
        console.log(
          `run  ${relative(process.cwd(), step.cwd) || "."}: npm run dev (PORT=${step.port}, ${step.service})`,
        );
      return 0;
    }
    const running = runDev({ manifest, manifestPath: path, services });
    for (const p of running) console.log(`${p.service} on http://localhost:${p.port}`);
    const stop = () => void stopDev(running);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    const codes = await Promise.all(
      running.map(
        (p) =>
          new Promise<number>((resolve) =>
            p.child.once("exit", (code) => {
              if (code) stop();
              resolve(code ?? 0);
            }),
          ),
      ),
    );
    return codes.some((c) => c !== 0) ? 1 : 0;
  }
  if (command === "setup" || command === "template") {
    const { loadManifest } = await import("./manifest/load-manifest.js");
    const { selectServices } = await import("./manifest/select-services.js");
    const setup = await import("./cli/setup-command.js");
    const { manifest } = await loadManifest(values.manifest);
    const services = selectServices(
      manifest,
      [action, ...selectors].filter((s): s is string => s !== undefined),
    );
    const stage = {
      stage: values.stage,
      ...(values["event-bus"] ? { eventBusName: values["event-bus"] } : {}),
    };
    if (command === "template") {
      console.log(JSON.stringify(await setup.templateFor(manifest, services, stage), null, 2));
      return 0;
    }
    console.log(
      `setup of ${services.map((s) => s.name).join(", ")}, stage ${values.stage}${values["dry-run"] ? " (dry run)" : ""}`,
    );
    const resources = await setup.servicesResources(manifest, services, stage);
    await setup.runSetup(await setup.defaultSetupClients(resources), resources, {
      dryRun: values["dry-run"],
      print: (line) => console.log(line),
    });
    return 0;
  }
  console.error(`portside: unknown command '${command}'\n\n${usage}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof ServiceKitError || error instanceof TypeError;
    console.error(`portside: ${known || error instanceof Error ? (error as Error).message : String(error)}`);
    // 2: the command was used wrongly; 1: it ran and failed (a check, an install).
    const failed = error instanceof ServiceKitError && error.code === ServiceKitErrorCode.commandFailed;
    process.exitCode = known && !failed ? 2 : 1;
  },
);
