import { type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./free-port.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const cli = join(repo, "packages/service-kit/bin/portside.js");
const domains = ["registry", "event-recorder", "profile-deps", "dj-room"];
const needed = [
  "http",
  "service-kit",
  "adapters-aws",
  "registry-core",
  "event-recorder",
  "profile-deps",
  "dj-room",
];

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** The generated service installs the built packages: this kit rebuilt when its sources changed, the others built once. */
function buildPackages() {
  for (const name of needed) {
    const dir = join(repo, "packages", name);
    const dist = join(dir, "dist");
    const stale = !existsSync(dist) || (name === "service-kit" && newest(join(dir, "src")) > newest(dist));
    if (!stale) continue;
    const build = spawnSync("npm", ["run", "build", "--silent", "-w", `packages/${name}`], {
      cwd: repo,
      encoding: "utf8",
    });
    if (build.status !== 0)
      throw new Error(`building packages/${name} failed:\n${build.stdout}${build.stderr}`);
  }
}

/** An empty folder whose installed packages are the repository's (workspace links to the built packages). */
function emptyFolder(): string {
  const root = mkdtempSync(join(tmpdir(), "kit-new-"));
  symlinkSync(join(repo, "node_modules"), join(root, "node_modules"), "dir");
  return root;
}

function portside(cwd: string, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8" });
}

async function getUntilUp(url: string): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url);
    } catch (error) {
      if (attempt > 300) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe("portside new", () => {
  beforeAll(buildPackages, 120_000);

  it("from an empty folder, new then dev: a composed service that typechecks, passes its smoke test, serves, and plans its AWS resources", async () => {
    const root = emptyFolder();
    const port = await freePort();
    const created = portside(
      root,
      "new",
      "rooms/api",
      "--domains",
      domains.join(","),
      "--port",
      String(port),
    );
    expect(created.stderr).toBe("");
    expect(created.status).toBe(0);
    const service = join(root, "services/rooms/api");
    for (const file of [
      "package.json",
      "src/service.ts",
      "src/main.ts",
      "src/lambda/dj-room.ts",
      ".env.sample",
      "test/smoke.test.ts",
      "README.md",
    ]) {
      expect(created.stdout).toContain(`create  services/rooms/api/${file}`);
      expect(existsSync(join(service, file))).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(root, "portside.services.json"), "utf8")).services).toEqual([
      { name: "rooms/api", devPort: port, domains },
    ]);
    expect(JSON.parse(readFileSync(join(service, "package.json"), "utf8"))).toMatchObject({
      name: "@services/rooms-api",
      scripts: { dev: expect.any(String), test: expect.any(String) },
    });
    // Every marked line is listed with its file and line number.
    const marked = created.stdout.split("\n").filter((l) => /^ {2}services\/rooms\/api\/\S+:\d+ /.test(l));
    const markers = created.stdout
      .split("\n")
      .filter((l) => l.startsWith("create  "))
      .map(
        (l) =>
          readFileSync(join(root, l.slice("create  ".length)), "utf8").split("portside: fill in").length - 1,
      )
      .reduce((a, b) => a + b, 0);
    expect(marked.length).toBe(markers);
    expect(marked.length).toBeGreaterThanOrEqual(3);
    for (const line of marked) {
      const [, file, lineNumber] = /^ {2}(\S+):(\d+) /.exec(line)!;
      expect(readFileSync(join(root, file!), "utf8").split("\n")[Number(lineNumber) - 1]).toContain(
        "portside: fill in",
      );
    }

    const typecheck = spawnSync(join(repo, "node_modules/.bin/tsc"), ["-p", service], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(typecheck.stdout + typecheck.stderr).toBe("");
    expect(typecheck.status).toBe(0);
    const smoke = spawnSync("npm", ["test"], { cwd: service, encoding: "utf8", timeout: 60_000 });
    expect(smoke.stdout).toContain("# pass 1");
    expect(smoke.status).toBe(0);

    // Configured for AWS (a stage's tables on the DynamoDB engine), the same code composes its AWS adapters.
    const stageName = `kitaws${port}`;
    writeFileSync(
      join(service, "aws-check.ts"),
      `import { createService } from "./src/service.js";
const service = await createService(["registry", "profile-deps"]);
const health = await service.handler(new Request("http://localhost/healthz"));
console.log(JSON.stringify(await health.json()));
await service.close();
`,
    );
    const aws = spawnSync(join(repo, "node_modules/.bin/tsx"), ["aws-check.ts"], {
      cwd: service,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, DYNAMODB_TABLES_USERID: stageName, LOG_LEVEL: "error" },
    });
    expect(aws.status, aws.stderr).toBe(0);
    const awsHealth = JSON.parse(aws.stdout) as {
      domains: { name: string; adapters: Record<string, string> }[];
    };
    expect(awsHealth.domains.map((d) => [d.name, d.adapters.store])).toEqual([
      ["registry", `dynamodb:${stageName}-registry`],
      ["profile-deps", `dynamodb:${stageName}-profiles`],
    ]);

    // Embedded defaults: nothing of the test run's own configuration (its database, its engines).
    const { DATABASE_URL: _database, AWS_ENDPOINT_URL_DYNAMODB: _dynamo, ...env } = process.env;
    const dev = spawn(process.execPath, [cli, "dev"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => dev.once("exit", resolve));
    try {
      const health = await getUntilUp(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { domains: { name: string }[] }).domains.map((d) => d.name)).toEqual(
        domains,
      );
      const submitted = await fetch(`http://127.0.0.1:${port}/events`, { method: "POST", body: "hello" });
      expect(submitted.status).toBe(202);
      const profiles = await fetch(`http://127.0.0.1:${port}/profiles`);
      expect(await profiles.json()).toEqual({ items: [] });
    } finally {
      dev.kill("SIGINT");
    }
    expect(await exited).toBe(0);

    // The quick start's third command: the AWS resources it needs, planned against the engines.
    expect(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies).toMatchObject({
      "@portside/service-kit": "^0.1.0",
      "@portside/adapters-aws": "^0.1.0",
      "@aws-sdk/client-dynamodb": expect.any(String),
    });
    const stage = `kitnew${port}`;
    const planned = portside(root, "setup", "--dry-run", "--stage", stage);
    expect(planned.stderr).toBe("");
    expect(planned.stdout).toContain(`setup of rooms/api, stage ${stage} (dry run)`);
    expect(planned.stdout).toMatch(new RegExp(`create +table ${stage}-registry`));
    expect(planned.stdout).toMatch(new RegExp(`create +rule ${stage}-profile-changed`));
  }, 120_000);

  it("writes what each host needs: Lambda-only queue workers, an express-only web service; both typecheck", () => {
    const root = emptyFolder();
    writeFileSync(
      join(root, "portside.services.json"),
      JSON.stringify({
        services: [
          { name: "jobs", devPort: 9311, domains: ["profile-deps", "event-recorder"], hosts: ["lambda"] },
          { name: "web", devPort: 9312, domains: ["dj-room"], hosts: ["express"], usesAws: false },
        ],
      }),
    );
    for (const name of ["jobs", "web"]) expect(portside(root, "new", name).status).toBe(0);
    const lambdas = (name: string) =>
      existsSync(join(root, `services/${name}/src/lambda`))
        ? readdirSync(join(root, `services/${name}/src/lambda`)).sort()
        : [];
    expect(lambdas("jobs")).toEqual([
      "event-recorder-sqs.ts",
      "event-recorder.ts",
      "profile-deps-results.ts",
      "profile-deps-validator.ts",
      "profile-deps.ts",
    ]);
    expect(lambdas("web")).toEqual([]);
    const web = JSON.parse(readFileSync(join(root, "services/web/package.json"), "utf8"));
    expect(web.dependencies["@aws-sdk/client-secrets-manager"]).toBeUndefined();
    for (const name of ["jobs", "web"]) {
      const typecheck = spawnSync(join(repo, "node_modules/.bin/tsc"), ["-p", join(root, "services", name)], {
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(typecheck.stdout + typecheck.stderr).toBe("");
    }
  }, 120_000);

  it("portside env-sample --check fails when a service's .env.sample drifts from its domains' keys; env-sample mends it", () => {
    const root = emptyFolder();
    expect(portside(root, "new", "audit", "--domains", "event-recorder", "--port", "9321").status).toBe(0);
    const sample = join(root, "services/audit/.env.sample");
    const written = readFileSync(sample, "utf8");
    expect(written).toContain("# EVENT_RECORDER_QUEUE_URL=");
    expect(portside(root, "env-sample", "--check").stdout).toContain("unchanged  services/audit/.env.sample");

    writeFileSync(sample, written.replace("# EVENT_RECORDER_QUEUE_URL=\n", ""));
    const check = portside(root, "env-sample", "--check");
    expect(check.status).toBe(1);
    expect(check.stderr).toContain("run: portside env-sample audit");
    expect(portside(root, "env-sample", "--dry-run").stdout).toContain("update  services/audit/.env.sample");
    expect(readFileSync(sample, "utf8")).not.toBe(written);
    expect(portside(root, "env-sample").status).toBe(0);
    expect(readFileSync(sample, "utf8")).toBe(written);
  });

  it("never overwrites: a second run skips every file, and --dry-run writes nothing", () => {
    const root = emptyFolder();
    expect(portside(root, "new", "audit", "--domains", "event-recorder", "--port", "9301").status).toBe(0);
    const readme = join(root, "services/audit/README.md");
    writeFileSync(readme, "# mine\n");
    const again = portside(root, "new", "audit");
    expect(again.status).toBe(0);
    expect(again.stdout).not.toMatch(/^create/m);
    expect(again.stdout).toContain("skip (exists)  services/audit/README.md");
    expect(readFileSync(readme, "utf8")).toBe("# mine\n");

    const planned = portside(root, "new", "rooms/api", "--domains", "dj-room", "--port", "9302", "--dry-run");
    expect(planned.status).toBe(0);
    expect(planned.stdout).toContain("add entry  portside.services.json (rooms/api)");
    expect(planned.stdout).toContain("create  services/rooms/api/src/service.ts");
    expect(existsSync(join(root, "services/rooms"))).toBe(false);
    expect(readFileSync(join(root, "portside.services.json"), "utf8")).not.toContain("rooms/api");
  });

  it("says when an existing workspace root does not include the new service", () => {
    const root = emptyFolder();
    writeFileSync(join(root, "package.json"), JSON.stringify({ private: true, workspaces: ["packages/*"] }));
    const outside = portside(root, "new", "rooms/api", "--domains", "dj-room", "--port", "9302");
    expect(outside.stdout).toContain("skip (exists)  package.json");
    expect(outside.stdout).toContain("Note: package.json's workspaces do not include services/rooms/api");
    writeFileSync(
      join(root, "package.json"),
      JSON.stringify({ private: true, workspaces: ["./services/*/*"] }),
    );
    expect(portside(root, "new", "rooms/api").stdout).not.toContain("Note:");
  });

  it("needs the manifest entry first, and says how to add it", () => {
    const root = emptyFolder();
    const noManifest = portside(root, "new", "audit");
    expect(noManifest.status).toBe(2);
    expect(noManifest.stderr).toContain("pass --domains <a,b> --port <n> to add it");
    expect(portside(root, "new", "audit", "--domains", "event-recorder", "--port", "9301").status).toBe(0);
    const unknown = portside(root, "new", "rooms/api");
    expect(unknown.stderr).toContain("has no service 'rooms/api'");
    const clash = portside(root, "new", "rooms/api", "--domains", "dj-room", "--port", "9301");
    expect(clash.status).toBe(2);
    expect(clash.stderr).toContain(
      "services[1] (rooms/api): devPort: 9301 is already used by services[0] (audit)",
    );
    const unknownDomain = portside(root, "new", "rooms/api", "--domains", "chat", "--port", "9302");
    expect(unknownDomain.stderr).toContain("services[1] (rooms/api): domains.0: Invalid option");
    expect(readFileSync(join(root, "portside.services.json"), "utf8")).not.toContain("rooms/api");
  });
});
