import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  deriveNames,
  InvalidManifestError,
  loadManifest,
  type ManifestInput,
  parseManifest,
  ServiceKitError,
  selectServices,
} from "../src/index.js";

const manifest: ManifestInput = {
  scope: "acme",
  services: [
    { name: "rooms/api", devPort: 9101, domains: ["dj-room"], groups: ["party"] },
    { name: "rooms/worker", devPort: 9102, domains: ["dj-room"], hosts: ["lambda"], groups: ["party"] },
    { name: "registry", devPort: 9103, domains: ["registry"] },
    { name: "audit", devPort: 9104, domains: ["event-recorder"], enabled: false },
  ],
};

function issuesOf(input: unknown) {
  try {
    parseManifest(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidManifestError);
    return (error as InvalidManifestError).issues;
  }
  throw new Error("the manifest was accepted");
}

describe("manifest", () => {
  it("fills defaults: both hosts, no groups, enabled, uses AWS", () => {
    const registry = parseManifest(manifest).services[2]!;
    expect(registry).toEqual({
      name: "registry",
      devPort: 9103,
      domains: ["registry"],
      hosts: ["express", "lambda"],
      groups: [],
      enabled: true,
      usesAws: true,
    });
  });

  it("names the entry and the field of each invalid value", () => {
    const issues = issuesOf({
      services: [
        { name: "ok", devPort: 9000, domains: ["registry"] },
        { name: "Rooms/API", devPort: 80, domains: ["chat"], colour: "red" },
      ],
    });
    expect(issues.map((i) => [i.entry, i.path.join(".")])).toEqual(
      expect.arrayContaining([
        ["services[1] (Rooms/API)", "name"],
        ["services[1] (Rooms/API)", "devPort"],
        ["services[1] (Rooms/API)", "domains.0"],
        ["services[1] (Rooms/API)", ""],
      ]),
    );
    expect(issues.every((i) => i.entry !== "services[0] (ok)")).toBe(true);
  });

  it("refuses a name or a dev port used twice, naming both entries", () => {
    const issues = issuesOf({
      services: [
        { name: "a", devPort: 9000, domains: ["registry"] },
        { name: "a", devPort: 9001, domains: ["registry"] },
        { name: "b", devPort: 9000, domains: ["registry"] },
      ],
    });
    expect(issues).toEqual([
      { entry: "services[1] (a)", path: ["name"], message: "a is already used by services[0] (a)" },
      { entry: "services[2] (b)", path: ["devPort"], message: "9000 is already used by services[0] (a)" },
    ]);
  });

  it("selects by exact name, by prefix and by %group, among enabled services only", () => {
    const parsed = parseManifest(manifest);
    const names = (selectors: string[]) => selectServices(parsed, selectors).map((s) => s.name);
    expect(names([])).toEqual(["rooms/api", "rooms/worker", "registry"]);
    expect(names(["rooms"])).toEqual(["rooms/api", "rooms/worker"]);
    expect(names(["rooms/api"])).toEqual(["rooms/api"]);
    expect(names(["%party", "registry"])).toEqual(["rooms/api", "rooms/worker", "registry"]);
    expect(() => names(["audit"])).toThrow(ServiceKitError);
    expect(() => names(["room"])).toThrow(/No enabled service matches 'room'/);
  });

  it("derives every name from the service name by one rule", () => {
    const names = deriveNames(parseManifest(manifest), { name: "rooms/api" }, "prod");
    expect(names).toMatchObject({
      id: "rooms-api",
      packageName: "@acme/rooms-api",
      directory: "services/rooms/api",
      stackName: "prod-rooms-api",
    });
    expect(names.functionName("websocket")).toBe("prod-rooms-api-websocket");
  });

  it("loads portside.services.json and reports the file in its errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-manifest-"));
    const path = join(dir, "portside.services.json");
    writeFileSync(path, JSON.stringify(manifest));
    expect((await loadManifest(path)).manifest.services).toHaveLength(4);
    writeFileSync(
      path,
      JSON.stringify({ services: [{ name: "x", devPort: "9000", domains: ["registry"] }] }),
    );
    await expect(loadManifest(path)).rejects.toThrow(
      `Invalid manifest ${path}:\n  services[0] (x): devPort:`,
    );
  });
});
