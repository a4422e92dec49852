import { ServiceKitError, ServiceKitErrorCode } from "../errors.js";
import type { Manifest, ServiceEntry } from "./schema.js";

/**
 * The enabled services a selector names: `rooms/api` (exact), `rooms` (every name under that
 * prefix), `%party` (every service in group `party`). No selector selects every enabled service.
 */
export function selectServices(manifest: Manifest, selectors: readonly string[] = []): ServiceEntry[] {
  const enabled = manifest.services.filter((s) => s.enabled);
  if (selectors.length === 0) return enabled;
  const matches = (service: ServiceEntry, selector: string) =>
    selector.startsWith("%")
      ? service.groups.includes(selector.slice(1))
      : service.name === selector || service.name.startsWith(`${selector.replace(/\/$/, "")}/`);
  const selected = enabled.filter((service) => selectors.some((s) => matches(service, s)));
  const unmatched = selectors.filter((s) => !enabled.some((service) => matches(service, s)));
  if (unmatched.length > 0) {
    throw new ServiceKitError(
      ServiceKitErrorCode.noServiceSelected,
      `No enabled service matches ${unmatched.map((s) => `'${s}'`).join(", ")}; enabled: ${enabled.map((s) => s.name).join(", ") || "none"}`,
      { details: { unmatched } },
    );
  }
  return selected;
}
