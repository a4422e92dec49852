// The classic mistakes a user makes with the services, each of which must fail to compile
// (the eleven, with each registry internal counted apart).
// Checked by `tsc -p test/types` (npm run check) against the built packages, as a user sees them:
// a directive whose line compiles is itself an error ("Unused '@ts-expect-error' directive").
import type { DjRoom, Session } from "@portside/dj-room";
import { createMemoryRepository } from "@portside/profile-deps";
import type { Actor, RegistryService } from "@portside/registry-core";

declare const registry: RegistryService;
declare const admin: Actor;

// registry createType: a field type that does not exist.
// @ts-expect-error "strng" is not a field type
await registry.createType(admin, { name: "company", fields: [{ name: "name", type: "strng" }] });

// registry createEntity: the data passed bare instead of under `data`.
// @ts-expect-error the entity's fields go under `data`
await registry.createEntity(admin, "company", { name: "Acme" });

// registry updateEntity: the change passed bare instead of under `data`.
// @ts-expect-error the changed fields go under `data`
await registry.updateEntity(admin, "person", "ada", { age: 37 }, 1);

// registry search: an operator that does not exist.
// @ts-expect-error "greater" is not an operator ("gt", "gte"...)
await registry.search(admin, "person", { conditions: [{ field: "age", op: "greater", value: 30 }] });

// registry internals are not part of the service.
// @ts-expect-error the store is not reachable through the service
registry.store;
// @ts-expect-error writes go through the use cases, which check the actor's role
registry.commitWrites;
// @ts-expect-error entities are prepared inside createEntity/updateEntity
registry.prepareEntity;

declare const dj: DjRoom;
declare const guest: Session;

// dj-room vote: a value other than up (1), down (-1) or none (0).
// @ts-expect-error a vote is 1, -1 or 0
await dj.vote(guest, "entry-1", 2);

// dj-room addTrack: a track object instead of the provider's track id.
// @ts-expect-error a track is added by its id
await dj.addTrack(guest, { id: "demo-03" });

// dj-room openRoom: a room name that is not a string.
// @ts-expect-error the room's name is text
await dj.openRoom("user-42", { name: 42 });

// dj-room updateSettings: a setting of the wrong type.
// @ts-expect-error fairShare is a boolean
await dj.updateSettings(guest, { fairShare: "yes" });

// profile-deps createMemoryRepository: the families without the document around them.
// @ts-expect-error the document names its format and holds the families
createMemoryRepository({ foo: { "1.0": { requires: [] } } });
