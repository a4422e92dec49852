import {
  createMemoryRegistryStore,
  createRegistryService,
  type RegistryService,
} from "@portside/registry-core";
import { actors } from "@portside/registry-core/testing";
import { expect, expectTypeOf, it } from "vitest";

const registry = createRegistryService({ store: createMemoryRegistryStore() });
const { admin } = actors("acme");

// Each line is a mistake that must not compile (tsc -p packages/registry-core checks this file);
// at runtime the service's own parsing refuses them too.
async function mistakes(r: RegistryService) {
  // @ts-expect-error a field's type is one of the FieldType names
  await r.createType(admin, { name: "t", fields: [{ name: "a", type: "varchar" }] });
  // @ts-expect-error fields is a list
  await r.createType(admin, { name: "t", fields: { a: "string" } });
  // @ts-expect-error data is an object of field values
  await r.createEntity(admin, "t", { data: "Ada" });
  // @ts-expect-error the entity's fields live under data
  await r.createEntity(admin, "t", { name: "Ada" });
  // @ts-expect-error owners are { kind, id }
  await r.updateEntity(admin, "t", "id", { data: {}, owners: ["ann"] });
  // @ts-expect-error the expected version is a number
  await r.updateEntity(admin, "t", "id", { data: {} }, "3");
  // @ts-expect-error an operator the search does not have
  await r.search(admin, "t", { conditions: [{ field: "a", op: "like", value: "x" }] });
  // @ts-expect-error sort takes a field and a direction
  await r.search(admin, "t", { sort: "a" });
  // @ts-expect-error removing fields takes a list
  await r.changeType(admin, "t", { remove: "a" });
  // @ts-expect-error the service exposes no store
  r.store;
  // @ts-expect-error nor its commit
  r.commitWrites;
}

it("types the service's inputs and hides its internals", async () => {
  expectTypeOf(registry).toEqualTypeOf<RegistryService>();
  expect(Object.keys(registry)).not.toContain("store");
  expect(Object.keys(registry)).not.toContain("prepareEntity");
  await expect(mistakes(registry)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
});
