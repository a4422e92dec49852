import { createProfileEventHandler } from "../events/handle-profile-event.js";
import type { EventPublisher } from "../events/profile-events.js";
import { createPublishableMemoryRepository } from "../packages/memory-publishable-repository.js";
import type { PublishablePackageRepository } from "../packages/publishable-repository.js";
import type { Clock } from "../profiles/clock.js";
import { createMemoryProfileStore } from "../profiles/memory-profile-store.js";
import { createProfileService, type ProfileService } from "../profiles/profile-service.js";
import type { ProfileStore } from "../profiles/profile-store.js";
import { createProfileValidator, type ProfileValidator } from "../profiles/profile-validator.js";
import type { ResolveOptions } from "../resolver/types.js";
import type { Resolver } from "../resolver/worker/resolver-pool.js";
import { createInProcessBus, type InProcessBus, type InProcessBusOptions } from "./in-process-bus.js";

/** Options of `createInProcessProfileDeps`: the repository, store, bus, resolver and clock, each with an in-process default. */
export interface InProcessProfileDepsOptions {
  store?: ProfileStore;
  repository?: PublishablePackageRepository;
  bus?: InProcessBus;
  resolveOptions?: ResolveOptions;
  /** How profiles are resolved: default on this thread; a `ResolverPool`'s `resolve` runs off it. */
  resolver?: Resolver;
  clock?: Clock;
  /** Called with an error a subscriber threw. */
  onError?: InProcessBusOptions["onError"];
}

/** Profiles and their validation wired in one process: the service, the validator, the bus, `idle()` and `close()`. */
export interface InProcessProfileDeps {
  service: ProfileService;
  validator: ProfileValidator;
  store: ProfileStore;
  repository: PublishablePackageRepository;
  bus: InProcessBus;
  /** Resolves once every queued event has been handled. */
  idle(): Promise<void>;
  /** Stops listening to the bus once what is queued has run. */
  close(): Promise<void>;
}

/**
 * The whole loop in one process: service and validator talking over an asynchronous
 * in-process bus (memory store and repository unless others are given).
 */
export function createInProcessProfileDeps(options: InProcessProfileDepsOptions = {}): InProcessProfileDeps {
  const bus = options.bus ?? createInProcessBus(options.onError ? { onError: options.onError } : {});
  const store = options.store ?? createMemoryProfileStore();
  const repository = options.repository ?? createPublishableMemoryRepository();
  const publisher: EventPublisher = bus;
  const clock = options.clock ? { clock: options.clock } : {};
  const service = createProfileService({ store, publisher, ...clock });
  const validator = createProfileValidator({
    repository,
    publisher,
    ...clock,
    ...(options.resolveOptions ? { resolveOptions: options.resolveOptions } : {}),
    ...(options.resolver ? { resolver: options.resolver } : {}),
  });
  const handle = createProfileEventHandler({ service, validator });
  const unsubscribe = bus.subscribe("*", (event) => handle(event.type, event.detail));
  return {
    service,
    validator,
    store,
    repository,
    bus,
    idle: () => bus.idle(),
    async close() {
      unsubscribe();
      await bus.idle();
    },
  };
}
