import { ProfileDepsError } from "../errors.js";
import {
  type EventPublisher,
  type ProfileChanged,
  ProfileEventType,
  type ProfileValidated,
  profileChangedSchema,
} from "../events/profile-events.js";
import type { PackageRepository } from "../repository/package-repository.js";
import { resolve } from "../resolver/resolve.js";
import type { ResolveOptions } from "../resolver/types.js";
import type { Resolver } from "../resolver/worker/resolver-pool.js";
import { type Clock, systemClock } from "./clock.js";
import { InvalidProfileEventError, toIssues } from "./errors.js";
import type { ValidationResult } from "./profile.js";

/** Options of `createProfileValidator`: the package repository, the publisher, resolve options and the resolver. */
export interface ProfileValidatorOptions {
  repository: PackageRepository;
  publisher: EventPublisher;
  /** Passed to every resolve, e.g. a step or time budget. */
  resolveOptions?: ResolveOptions;
  /** How to resolve: default `resolve` on this thread; a `ResolverPool`'s `resolve` runs off it. */
  resolver?: Resolver;
  clock?: Clock;
}

/** Resolves a profile revision and publishes the result. */
export interface ProfileValidator {
  /** Resolves a `ProfileChanged` and publishes `ProfileValidated`; returns it (`null` for a deletion). */
  handle(event: ProfileChanged): Promise<ProfileValidated | null>;
  /** Resolves an effective request without publishing anything. */
  validate(request: readonly string[]): Promise<ValidationResult>;
}

/**
 * The validation side of the loop: consumes `ProfileChanged`, resolves the effective request
 * against the repository and publishes `ProfileValidated` for that exact revision and
 * validation id. A missing package or an exhausted budget is an `error` result; an
 * unexpected failure is thrown, so the delivery is retried.
 */
export function createProfileValidator(options: ProfileValidatorOptions): ProfileValidator {
  const { repository, publisher } = options;
  const run = options.resolver ?? resolve;
  const clock = options.clock ?? systemClock;

  const validate = async (request: readonly string[]): Promise<ValidationResult> => {
    try {
      const result = await run(request, repository, options.resolveOptions);
      const resolvedAt = clock.now().toISOString();
      if (result.status === "solved") {
        return {
          status: "valid",
          packages: result.packages.map((p) => ({
            name: p.name,
            version: p.version,
            variantIndex: p.variantIndex,
          })),
          ...(result.ephemerals.length > 0 ? { ephemerals: [...result.ephemerals] } : {}),
          resolvedAt,
        };
      }
      const { kind, description, requirements } = result.failure;
      return {
        status: "invalid",
        failure: { kind, description, requirements: [...requirements] },
        resolvedAt,
      };
    } catch (error) {
      if (error instanceof ProfileDepsError) {
        return {
          status: "error",
          error: { code: error.code, message: error.message },
          resolvedAt: clock.now().toISOString(),
        };
      }
      throw error;
    }
  };

  return {
    validate,
    async handle(event) {
      const parsed = profileChangedSchema.safeParse(event);
      if (!parsed.success) {
        throw new InvalidProfileEventError("ProfileChanged", toIssues(parsed.error.issues), {
          cause: parsed.error,
        });
      }
      const changed = parsed.data;
      if (changed.change === "deleted") return null;
      const result: ValidationResult = changed.inheritanceConflict
        ? {
            status: "invalid",
            failure: { kind: "conflict", ...changed.inheritanceConflict },
            resolvedAt: clock.now().toISOString(),
          }
        : await validate(changed.effectiveRequest);
      const validated: ProfileValidated = {
        name: changed.name,
        revision: changed.revision,
        validationId: changed.validationId,
        effectiveRequest: changed.effectiveRequest,
        result,
      };
      await publisher.publish({ type: ProfileEventType.profileValidated, detail: validated });
      return validated;
    },
  };
}
