import type { Entity } from "./model/entity.js";

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

export type RegistryEvent = EntityChangedEvent | EntityTypeChangedEvent;

/** Where change events go (EventBridge, an in-process bus, a search indexer). Structurally typed. */
export interface EventPublisher {
  publish(events: readonly RegistryEvent[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}

export const systemClock: Clock = { now: () => new Date() };
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
