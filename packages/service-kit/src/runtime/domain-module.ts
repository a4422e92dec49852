import type { z } from "zod";
import type { CommonConfig } from "../config/common-config.js";
import type { SecretSpec } from "../secrets/secret-spec.js";
import type { MountedDomain } from "./service-router.js";

/** A domain composed with its adapters, ready to mount: what it serves, and what it starts and stops. */
export interface ComposedDomain extends MountedDomain {
  /** Which adapter serves each port, as `/healthz` reports it (`{ store: "dynamodb:dev-profiles" }`). */
  readonly adapters: Readonly<Record<string, string>>;
  /** Background work a long-running host starts (pollers, timers). Lambda hosts never call it. */
  start?(): Promise<void>;
  /** Stops background work and releases connections. */
  close?(): Promise<void>;
}

/**
 * What a domain brings to a service: the config keys it reads, the secrets among them, and how it
 * composes from them: embedded defaults when nothing is configured, its AWS adapters when
 * `DYNAMODB_TABLES_USERID` (or the domain's own keys) say so.
 */
export interface DomainModule<
  Schema extends z.ZodObject = z.ZodObject,
  Composed extends ComposedDomain = ComposedDomain,
> {
  /** `registry`, `dj-room`, ... or your own domain's name. */
  readonly name: string;
  /** Path prefixes its handler answers. */
  readonly routes: readonly string[];
  /** Its own config keys (the shared ones are `commonConfigSchema`). */
  readonly configSchema: Schema;
  readonly secrets: readonly SecretSpec[];
  /** Builds the domain from a parsed config (the shared keys and its own). */
  compose(config: CommonConfig & z.output<Schema>): Promise<Composed>;
}

/** A domain module of any config: what a service's list of domains holds. */
export type AnyDomainModule = DomainModule<z.ZodObject, ComposedDomain>;
