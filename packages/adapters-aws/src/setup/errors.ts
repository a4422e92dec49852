import type { SetupStep } from "./plan-setup.js";

/** Thrown when a resource exists but differs from what the adapters need; setup reports it rather than changing it. */
export class SetupDriftError extends Error {
  override readonly name = "SetupDriftError";
  readonly code = "SETUP_DRIFT" as const;
  readonly drift: readonly SetupStep[];

  constructor(drift: readonly SetupStep[]) {
    super(
      `These resources differ from what the adapters need; fix or replace them (setup changes nothing):\n${drift
        .map((s) => `  ${s.label}: ${s.detail.join("; ")}`)
        .join("\n")}`,
    );
    this.drift = drift;
  }
}
