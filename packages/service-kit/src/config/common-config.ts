import { z } from "zod";
import { InvalidConfigError } from "../errors.js";
import { optionalText } from "./config-fields.js";

const timeoutMs = (fallback: number) =>
  optionalText
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .pipe(z.number().int().min(100).max(3_600_000));

/** Keys every service shares. Absent AWS and database keys select the embedded defaults. */
export const commonConfigSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).optional(),
  DYNAMODB_TABLES_USERID: optionalText.pipe(
    z
      .string()
      .regex(
        /^[A-Za-z0-9_.-]{1,64}$/,
        "letters, digits, '_', '.', '-' only (it prefixes DynamoDB table names)",
      )
      .optional(),
  ),
  AWS_REGION: optionalText,
  /** One endpoint for every AWS service (local engines: moto, LocalStack); unset on AWS. */
  AWS_ENDPOINT_URL: optionalText.pipe(z.url().optional()),
  /** DynamoDB's own endpoint (dynoxide locally); AWS_ENDPOINT_URL when unset. */
  AWS_ENDPOINT_URL_DYNAMODB: optionalText.pipe(z.url().optional()),
  /**
   * Set by AWS Lambda to the function's name, never by hand. On Lambda no domain runs on its
   * embedded defaults (memory stores, demo database and keys): each needs its AWS settings.
   */
  AWS_LAMBDA_FUNCTION_NAME: optionalText,
  /** EventBridge bus the services publish on and read from. */
  EVENT_BUS_NAME: z.string().trim().min(1).default("default"),
  /** debug | info | warn | error | silent. */
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** HS256 secret (at least 32 characters) that signs callers' JWTs, for the recorder and profile-deps. */
  AUTH_JWT_SECRET: optionalText.pipe(z.string().min(32, "at least 32 characters").optional()),
  /** JWKS URL of the identity provider instead of a secret; each key's own `alg` is enforced. */
  AUTH_JWKS_URL: optionalText.pipe(z.url().optional()),
  /** Expected `iss` of callers' tokens, when set. */
  AUTH_JWT_ISSUER: optionalText,
  /** Expected `aud` of callers' tokens, when set. */
  AUTH_JWT_AUDIENCE: optionalText,
  /** Time to receive a request's headers before the connection is dropped. Default 10000. */
  HTTP_HEADERS_TIMEOUT_MS: timeoutMs(10_000),
  /** Time to receive a whole request, body included: slow-body clients are dropped after it. Default 30000. */
  HTTP_REQUEST_TIMEOUT_MS: timeoutMs(30_000),
  /** Idle time a keep-alive connection is kept between requests. Default 5000. */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: timeoutMs(5_000),
});

/** The keys every service shares, parsed. */
export type CommonConfig = z.infer<typeof commonConfigSchema>;

/** The DynamoDB endpoint to use, if not AWS's own: its per-service key, else the shared one. */
export function dynamoDbEndpoint(config: CommonConfig): string | undefined {
  return config.AWS_ENDPOINT_URL_DYNAMODB ?? config.AWS_ENDPOINT_URL;
}

/** An AWS SDK client's `{ region, endpoint }`: the shared endpoint unless a service's own is given. */
export function awsClientConfig(
  config: CommonConfig,
  endpoint: string | undefined = config.AWS_ENDPOINT_URL,
): { region?: string; endpoint?: string } {
  return {
    ...(config.AWS_REGION ? { region: config.AWS_REGION } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}

/**
 * The DynamoDB table prefix, or undefined for the embedded defaults; on Lambda, where memory
 * stores would lose everything between invocations and run open, its absence is an
 * `InvalidConfigError` naming the key.
 */
export function tablesPrefix(config: CommonConfig, domain: string): string | undefined {
  const prefix = config.DYNAMODB_TABLES_USERID;
  if (prefix === undefined && config.AWS_LAMBDA_FUNCTION_NAME !== undefined) {
    throw new InvalidConfigError([
      {
        key: "DYNAMODB_TABLES_USERID",
        message: `${domain} has no embedded defaults on AWS Lambda: set it to the tables' prefix`,
      },
    ]);
  }
  return prefix;
}
