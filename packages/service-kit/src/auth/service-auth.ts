import type { Actor } from "@portside/http";
import type { CommonConfig } from "../config/common-config.js";
import { createJwtVerifier } from "./jwt-verifier.js";

/** Options of `createServiceAuth`: whose service, and whether it is a local demo. */
export interface ServiceAuthOptions {
  service: string;
  /** The service runs on its embedded defaults (in-memory stores, embedded database): a local demo. */
  embedded: boolean;
  /** Roles an anonymous caller of the local demo gets. */
  demoRoles: readonly string[];
}

/** A service's caller authentication, and how `/healthz` describes it. */
export interface ServiceAuth {
  /** The caller of a request; null for none (anonymous, or a token that does not verify). */
  authenticate(request: Request): Promise<Actor | null>;
  /** For the service's `adapters` line: `jwt`, `anonymous (local demo)` or `refused (no JWT settings)`. */
  label: string;
}

/**
 * `authenticate(request)` for a composed service: a `Bearer` JWT (HS256 with `AUTH_JWT_SECRET`,
 * or the key's own algorithm from `AUTH_JWKS_URL`) becomes `{ id: sub, roles }`. Without JWT
 * settings, a local demo on embedded defaults lets anonymous callers in, and says so once; any
 * other deployment refuses every request rather than run open.
 */
export function createServiceAuth(config: CommonConfig, options: ServiceAuthOptions): ServiceAuth {
  if (config.AUTH_JWT_SECRET || config.AUTH_JWKS_URL) {
    const verify = createJwtVerifier({
      secret: config.AUTH_JWT_SECRET,
      jwksUrl: config.AUTH_JWKS_URL,
      issuer: config.AUTH_JWT_ISSUER,
      audience: config.AUTH_JWT_AUDIENCE,
    });
    return {
      label: config.AUTH_JWKS_URL ? "jwt (jwks)" : "jwt (HS256)",
      async authenticate(request) {
        const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
        if (!match) return null;
        try {
          const claims = await verify(match[1]!);
          return { id: claims.sub, roles: claims.roles };
        } catch {
          return null;
        }
      },
    };
  }
  const log = (line: string) => {
    if (config.LOG_LEVEL !== "silent" && config.LOG_LEVEL !== "error")
      console.warn(`[${options.service}] ${line}`);
  };
  if (options.embedded) {
    log(
      "local demo on embedded defaults: anonymous callers are allowed (set AUTH_JWT_SECRET or AUTH_JWKS_URL to require tokens)",
    );
    const anonymous: Actor = { id: "anonymous", roles: [...options.demoRoles] };
    return { label: "anonymous (local demo)", authenticate: async () => anonymous };
  }
  log("no AUTH_JWT_SECRET or AUTH_JWKS_URL: every request is refused (401)");
  return { label: "refused (no JWT settings)", authenticate: async () => null };
}
