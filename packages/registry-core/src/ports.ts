import type { Entity } from "./model/entity.js";

/** Published after an entity is created, changed or deleted. */
export interface EntityChangedEvent {
  type: "EntityChanged";
  time: Date;
  detail: {
    change: "created" | "updated" | "deleted";
    organisation: string;
    entityType: string;
    id: string;
    version: number;
    actor: string | null;
    /** The entity after the change; null for deletions and for entities over 200 KB (read them by id). */
    entity: Entity | null;
  };
}

/** Published after an entity type is created, changed or deleted. */
export interface EntityTypeChangedEvent {
  type: "EntityTypeChanged";
  time: Date;
  detail: {
    change: "created" | "updated" | "deleted";
    organisation: string;
    name: string;
    version: number;
    actor: string | null;
  };
}

/** Any event the registry publishes. */
export type RegistryEvent = EntityChangedEvent | EntityTypeChangedEvent;

/** Where change events go (EventBridge, an in-process bus, a search indexer). Structurally typed. */
export interface EventPublisher {
  /** Publishes the events of one commit. */
  publish(events: readonly RegistryEvent[]): Promise<void>;
}

/** Port: the time. */
export interface Clock {
  /** The current time. */
  now(): Date;
}

/** Port: new entity ids. */
export interface IdGenerator {
  /** A new entity id. */
  next(): string;
}

/** The clock of the machine. */
export const systemClock: Clock = { now: () => new Date() };
/** Random UUIDs as entity ids. */
export const randomIds: IdGenerator = { next: () => crypto.randomUUID() };

/** Collects events in memory; useful for tests and in-process indexing. */
export function createMemoryPublisher(): EventPublisher & { events: RegistryEvent[] } {
  const events: RegistryEvent[] = [];
  return {
    events,
    async publish(batch) {
      events.push(...batch);
    },
  };
}
