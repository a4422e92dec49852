import { describeHttpConformance } from "@portside/http/testing";
import {
  createMemoryRegistryStore,
  createRegistryService,
  type RegistryService,
  type RegistryStore,
} from "@portside/registry-core";
import { createRegistryHandler } from "@portside/registry-core/http";
import { actors, companyType } from "@portside/registry-core/testing";

const { admin } = actors("acme");
const credentials = { "x-actor": "admin" };
const authenticate = (request: Request) => (request.headers.get("x-actor") === "admin" ? admin : null);
const uploadLimit = 1024 * 1024;

let service: RegistryService;
let counter = 0;

describeHttpConformance("registry", {
  create: async ({ logger }) => {
    service = createRegistryService({ store: createMemoryRegistryStore() });
    await service.createType(admin, companyType);
    const some = await service.createEntity(admin, "company", { id: "some", data: { name: "Some" } });
    return {
      handler: createRegistryHandler({ service, authenticate, logger, maxUploadBytes: uploadLimit }),
      headers: credentials,
      resource: { path: `/entity/company/${some.id}`, methods: ["GET", "PATCH", "DELETE"] },
      bodyRoutes: [
        { method: "POST", path: "/entityType", limit: 1024 * 1024 },
        { method: "PATCH", path: "/entityType/company", limit: 1024 * 1024 },
        { method: "PUT", path: "/entityType/company", limit: 1024 * 1024 },
        { method: "POST", path: "/entityType/company/migrations", limit: 1024 * 1024 },
        { method: "POST", path: "/entity/company", limit: 1024 * 1024 },
        { method: "POST", path: "/entity/company/search", limit: 1024 * 1024 },
        { method: "PATCH", path: "/entity/company/some", limit: 1024 * 1024 },
        {
          method: "POST",
          path: "/entity/company/upload?format=csv",
          limit: uploadLimit,
          contentType: "text/csv",
        },
      ],
      json: { method: "POST", path: "/entity/company", unknownField: { data: { name: "X" }, colour: "red" } },
      versioned: {
        async create() {
          const made = await service.createEntity(admin, "company", { data: { name: `c${++counter}` } });
          return `/entity/company/${made.id}`;
        },
        write: () => ({ method: "PATCH", body: { data: { country: "NL" } } }),
      },
    };
  },
  failing: async ({ logger, secret }) => {
    const memory = createMemoryRegistryStore();
    // A real store whose reads fail the way a lost connection does.
    const store: RegistryStore = Object.assign(Object.create(memory) as RegistryStore, {
      label: memory.label,
      getType: async () => {
        throw new Error(`connect ECONNREFUSED ${secret}`);
      },
    });
    const broken = createRegistryService({ store, logger: { error() {} } });
    return {
      handler: createRegistryHandler({ service: broken, authenticate, logger }),
      request: () => new Request("http://portside.test/entity/company/x", { headers: credentials }),
    };
  },
});
