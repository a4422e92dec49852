import { z } from "zod";
import type { CommonConfig } from "../config/common-config.js";
import { optionalText } from "../config/config-fields.js";

/** profile-deps' config keys. */
export const profileDepsConfigSchema = z.object({
  /**
   * Embedded mode: a `rez-benchmark-repository/1` JSON loaded at start, or `bundled` for the small
   * sample. Default: the sample.
   * AWS mode: when set, seeds the packages table with it if the table is empty.
   */
  PROFILE_DEPS_REPOSITORY: optionalText,
  /** Queue a rule fills with `ProfileChanged`: set it to run the validator in this process (AWS mode). */
  PROFILE_DEPS_CHANGED_QUEUE_URL: optionalText.pipe(z.url().optional()),
  /** Queue a rule fills with `ProfileValidated`: set it to apply results in this process (AWS mode). */
  PROFILE_DEPS_VALIDATED_QUEUE_URL: optionalText.pipe(z.url().optional()),
  /** Time budget of one resolve, in milliseconds. */
  PROFILE_DEPS_RESOLVE_TIMEOUT_MS: optionalText
    .transform((v) => (v === undefined ? 10_000 : Number(v)))
    .pipe(z.number().int().positive()),
});

/** profile-deps' config, with the shared keys. */
export type ProfileDepsConfig = CommonConfig & z.infer<typeof profileDepsConfigSchema>;
