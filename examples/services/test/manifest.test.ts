import { describe, expect, it } from "vitest";
import { domainModules } from "../src/compose.js";
import { serviceManifest } from "../src/manifest.js";

describe("service manifest", () => {
  it("gives every service a unique name and dev port", () => {
    const names = serviceManifest.map((s) => s.name);
    const ports = serviceManifest.map((s) => s.devPort);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(ports).size).toBe(ports.length);
    expect(ports).not.toContain(8080);
  });

  it("lists the four domains", () => {
    expect(serviceManifest.map((s) => s.name).sort()).toEqual([
      "dj-room",
      "event-recorder",
      "profile-deps",
      "registry",
    ]);
  });

  it("never lets two services claim the same route prefix", () => {
    const prefixes = serviceManifest.flatMap((s) => s.domains.flatMap((d) => domainModules[d].routes));
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const a of prefixes) {
      for (const b of prefixes) if (a !== b) expect(b.startsWith(`${a}/`)).toBe(false);
    }
  });
});
