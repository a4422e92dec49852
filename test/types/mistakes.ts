// The classic mistakes a user makes with the services, each of which must fail to compile.
// Checked by `tsc -p test/types` (npm run check) against the built packages, as a user sees them:
// a directive whose line compiles is itself an error ("Unused '@ts-expect-error' directive").
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
