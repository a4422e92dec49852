import { InvalidManifestError, type ManifestIssue } from "../errors.js";
import { type Manifest, type ManifestInput, manifestSchema } from "./schema.js";

function entryLabel(input: unknown, index: number): string {
  const services = (input as { services?: unknown } | null)?.services;
  const name = Array.isArray(services)
    ? (services[index] as { name?: unknown } | undefined)?.name
    : undefined;
  return typeof name === "string" ? `services[${index}] (${name})` : `services[${index}]`;
}

/** Validates a manifest: field rules, then unique names and dev ports. Every issue names its entry and field. */
export function parseManifest(input: ManifestInput | unknown, source = "manifest"): Manifest {
  const result = manifestSchema.safeParse(input);
  if (!result.success) {
    const issues: ManifestIssue[] = result.error.issues.map((issue) => {
      const [top, index, ...rest] = issue.path;
      if (top === "services" && typeof index === "number") {
        return { entry: entryLabel(input, index), path: rest as (string | number)[], message: issue.message };
      }
      return { entry: "(manifest)", path: issue.path as (string | number)[], message: issue.message };
    });
    throw new InvalidManifestError(source, issues);
  }
  const manifest = result.data;
  const issues: ManifestIssue[] = [];
  const seen = { name: new Map<string, number>(), devPort: new Map<number, number>() };
  manifest.services.forEach((service, index) => {
    for (const field of ["name", "devPort"] as const) {
      const value = service[field];
      const first = (seen[field] as Map<typeof value, number>).get(value);
      if (first === undefined) (seen[field] as Map<typeof value, number>).set(value, index);
      else {
        issues.push({
          entry: `services[${index}] (${service.name})`,
          path: [field],
          message: `${String(value)} is already used by services[${first}] (${manifest.services[first]?.name})`,
        });
      }
    }
  });
  if (issues.length > 0) throw new InvalidManifestError(source, issues);
  return manifest;
}
