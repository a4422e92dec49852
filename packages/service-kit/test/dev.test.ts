import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planDev, runDev, stopDev } from "../src/cli/dev-command.js";
import { parseManifest } from "../src/index.js";
import { freePort } from "./free-port.js";

function workspace(services: { name: string; port: number }[]) {
  const root = mkdtempSync(join(tmpdir(), "kit-dev-"));
  const manifestPath = join(root, "portside.services.json");
  const manifest = parseManifest({
    services: services.map((s) => ({ name: s.name, devPort: s.port, domains: ["registry"] })),
  });
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return { root, manifestPath, manifest };
}

function writeService(root: string, name: string) {
  const dir = join(root, "services", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: name.replace("/", "-"), private: true, scripts: { dev: "node server.js" } }),
  );
  writeFileSync(
    join(dir, "server.js"),
    `require("node:http").createServer((req, res) => res.end("${name} " + process.env.PORT))
      .listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
     process.on("SIGTERM", () => process.exit(0));`,
  );
}

async function get(url: string): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      return await (await fetch(url)).text();
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe("portside dev", () => {
  it("runs each selected service on its dev port and stops them all", async () => {
    const ports = [await freePort(), await freePort()];
    const { root, manifestPath, manifest } = workspace([
      { name: "rooms/api", port: ports[0]! },
      { name: "registry", port: ports[1]! },
    ]);
    writeService(root, "rooms/api");
    writeService(root, "registry");
    const lines: string[] = [];
    const running = runDev({
      manifest,
      manifestPath,
      services: manifest.services,
      print: (l) => lines.push(l),
    });
    try {
      expect(await get(`http://127.0.0.1:${ports[0]}/`)).toBe(`rooms/api ${ports[0]}`);
      expect(await get(`http://127.0.0.1:${ports[1]}/`)).toBe(`registry ${ports[1]}`);
      expect(lines).toContain("[rooms/api] listening");
    } finally {
      await stopDev(running);
    }
    expect(running.every((p) => p.child.exitCode !== null || p.child.signalCode !== null)).toBe(true);
  });

  it("names the command that creates a service that has no package yet", async () => {
    const { manifestPath, manifest } = workspace([{ name: "rooms/api", port: 9101 }]);
    expect(() => runDev({ manifest, manifestPath, services: manifest.services })).toThrow(
      "No package for rooms/api; create it with: portside new rooms/api",
    );
  });

  it("plans without running (--dry-run): each service's folder and port", () => {
    const { root, manifestPath, manifest } = workspace([
      { name: "rooms/api", port: 9101 },
      { name: "registry", port: 9102 },
    ]);
    writeService(root, "rooms/api");
    writeService(root, "registry");
    expect(planDev({ manifest, manifestPath, services: manifest.services })).toEqual([
      { service: "rooms/api", port: 9101, cwd: join(root, "services/rooms/api") },
      { service: "registry", port: 9102, cwd: join(root, "services/registry") },
    ]);
  });
});
