import type { Signer } from "@aws-sdk/rds-signer";

/** Static AWS credentials, as the SDK takes them. */
interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Options of `createRdsAuthTokenProvider`. */
export interface RdsAuthTokenProviderOptions {
  /** Database host and port as in the connection string (the token is signed for them). */
  hostname: string;
  port: number;
  username: string;
  region?: string;
  /** Credentials to sign with; default: the SDK's default chain. */
  credentials?: AwsCredentials | (() => Promise<AwsCredentials>);
  /** Tokens last 15 minutes; a new one is signed once the cached one is this old. Default 10 minutes. */
  refreshAfterMs?: number;
  /** The clock, in epoch milliseconds. */
  now?: () => number;
  /** For tests: how a token is signed. Default: `@aws-sdk/rds-signer`, loaded on first use (an optional peer). */
  sign?: () => Promise<string>;
}

/**
 * An RDS IAM authentication token as a password provider (`password` of `createPgPool`): a
 * token is signed on first use, reused by new connections, and replaced before it expires.
 */
export function createRdsAuthTokenProvider(options: RdsAuthTokenProviderOptions): () => Promise<string> {
  const refreshAfterMs = options.refreshAfterMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const sign =
    options.sign ??
    (() => {
      let signer: Promise<Signer> | undefined;
      return async () => {
        signer ??= import("@aws-sdk/rds-signer").then(
          (sdk) =>
            new sdk.Signer({
              hostname: options.hostname,
              port: options.port,
              username: options.username,
              ...(options.region ? { region: options.region } : {}),
              ...(options.credentials ? { credentials: options.credentials } : {}),
            }),
        );
        return (await signer).getAuthToken();
      };
    })();
  let cached: { token: Promise<string>; at: number } | null = null;
  return () => {
    if (!cached || now() - cached.at >= refreshAfterMs) {
      const entry = { token: sign(), at: now() };
      entry.token.catch(() => {
        if (cached === entry) cached = null;
      });
      cached = entry;
    }
    return cached.token;
  };
}
