import { z } from "zod";
import type { CommonConfig } from "../config/common-config.js";
import { optionalText } from "../config/config-fields.js";

/** The registry's config keys. */
export const registryConfigSchema = z.object({
  /** HS256 secret that signs actors' JWTs (at least 32 characters). */
  REGISTRY_JWT_SECRET: optionalText.pipe(z.string().min(32, "at least 32 characters").optional()),
  /** JWKS URL of the identity provider, instead of a shared secret. */
  REGISTRY_JWKS_URL: optionalText.pipe(z.url().optional()),
  /** Expected `iss` of tokens, when set. */
  REGISTRY_JWT_ISSUER: optionalText,
  /** Expected `aud` of tokens, when set. */
  REGISTRY_JWT_AUDIENCE: optionalText,
  /** Organisation of anonymous requests (and of tokens without an `org` claim). */
  REGISTRY_DEFAULT_ORGANISATION: optionalText.transform((v) => v ?? "public"),
  /**
   * What anonymous requests may do: none | read | write | admin. Default: admin on embedded
   * defaults with no JWT settings (a local demo), read otherwise.
   */
  REGISTRY_ANONYMOUS: optionalText.pipe(z.enum(["none", "read", "write", "admin"]).optional()),
  /** Largest upload accepted by /entity/<type>/upload, in bytes. Default: 536870912 (512 MiB). */
  REGISTRY_MAX_UPLOAD_BYTES: optionalText
    .transform((v) => (v === undefined ? 512 * 1024 * 1024 : Number(v)))
    .pipe(z.number().int().positive()),
});

/** The registry's config, with the shared keys. */
export type RegistryConfig = CommonConfig & z.infer<typeof registryConfigSchema>;
