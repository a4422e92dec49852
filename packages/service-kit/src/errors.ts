/** The `code` of every `ServiceKitError`. */
export const ServiceKitErrorCode = {
  invalidManifest: "INVALID_MANIFEST",
  manifestNotFound: "MANIFEST_NOT_FOUND",
  noServiceSelected: "NO_SERVICE_SELECTED",
  missingSecret: "MISSING_SECRET",
  unsafeSecretFile: "UNSAFE_SECRET_FILE",
  secretsUnavailable: "SECRETS_UNAVAILABLE",
  invalidArguments: "INVALID_ARGUMENTS",
  commandFailed: "COMMAND_FAILED",
  invalidConfig: "INVALID_CONFIG",
} as const;

/** One of the codes of `ServiceKitErrorCode`. */
export type ServiceKitErrorCode = (typeof ServiceKitErrorCode)[keyof typeof ServiceKitErrorCode];

/** Options of a `ServiceKitError`: details and the cause. */
export interface ServiceKitErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** Base class of every error this package throws; `code` is stable across releases. */
export class ServiceKitError extends Error {
  override readonly name: string = "ServiceKitError";
  readonly code: ServiceKitErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ServiceKitErrorCode, message: string, options: ServiceKitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** One entry of an invalid manifest: which service, which field, what is wrong. */
export interface ManifestIssue {
  readonly entry: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export class InvalidManifestError extends ServiceKitError {
  override readonly name = "InvalidManifestError";
  readonly issues: readonly ManifestIssue[];

  constructor(source: string, issues: readonly ManifestIssue[]) {
    const lines = issues.map((i) => `  ${i.entry}: ${i.path.join(".") || "(entry)"}: ${i.message}`);
    super(ServiceKitErrorCode.invalidManifest, `Invalid manifest ${source}:\n${lines.join("\n")}`, {
      details: { issues },
    });
    this.issues = issues;
  }
}

/** A secret no provider holds; the message names the command that creates it. */
export class MissingSecretError extends ServiceKitError {
  override readonly name = "MissingSecretError";
  readonly secret: string;
  readonly command: string;

  constructor(secret: string, command: string, searched: readonly string[]) {
    super(
      ServiceKitErrorCode.missingSecret,
      `Secret '${secret}' is missing (looked in ${searched.join(", ")}). Create it with: ${command}`,
      { details: { secret, command, searched } },
    );
    this.secret = secret;
    this.command = command;
  }
}

/** One configuration key at fault and why. */
export interface ConfigIssue {
  readonly key: string;
  readonly message: string;
}

/** The environment does not configure a service: every key at fault is named at once. */
export class InvalidConfigError extends ServiceKitError {
  override readonly name = "InvalidConfigError";
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      ServiceKitErrorCode.invalidConfig,
      `Invalid configuration:\n${issues.map((i) => `  ${i.key}: ${i.message}`).join("\n")}\nSee .env.sample.`,
      { details: { issues } },
    );
    this.issues = issues;
  }
}
