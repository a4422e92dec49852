import { describeHttpConformance } from "@portside/http/testing";
import {
  createInProcessProfileDeps,
  createMemoryProfileStore,
  createPublishableMemoryRepository,
  type InProcessProfileDeps,
  sampleRepositoryDocument,
} from "@portside/profile-deps";
import { createProfileDepsHandler } from "@portside/profile-deps/http";

const writer = { "x-user": "alice" };
const authenticate = (request: Request) =>
  request.headers.get("x-user") === "alice" ? { id: "alice", roles: ["writer"] } : null;

let deps: InProcessProfileDeps;
let counter = 0;

describeHttpConformance("profile-deps", {
  create: ({ logger }) => {
    deps = createInProcessProfileDeps({
      repository: createPublishableMemoryRepository(sampleRepositoryDocument),
    });
    const handler = createProfileDepsHandler({
      service: deps.service,
      repository: deps.repository,
      authenticate,
      logger,
    });
    return {
      handler,
      headers: writer,
      resource: { path: "/profiles/some-profile", methods: ["GET", "PUT", "DELETE"] },
      bodyRoutes: [
        { method: "POST", path: "/profiles", limit: 1024 * 1024 },
        { method: "PUT", path: "/profiles/some-profile", limit: 1024 * 1024 },
        { method: "POST", path: "/resolve", limit: 1024 * 1024 },
        { method: "POST", path: "/packages", limit: 1024 * 1024 },
      ],
      json: { method: "POST", path: "/resolve", unknownField: { requests: ["nuke"], solver: "fast" } },
      versioned: {
        async create() {
          const name = `conformance-${++counter}`;
          await deps.service.create({ name, requests: ["nuke"] } as never, { actor: "alice" });
          return `/profiles/${name}`;
        },
        write: () => ({ method: "PUT", body: { requests: ["nuke-14"] } }),
      },
    };
  },
  destroy: async () => deps.close(),
  failing: async ({ logger, secret }) => {
    const broken = createInProcessProfileDeps({
      repository: createPublishableMemoryRepository(sampleRepositoryDocument),
      // A real store whose reads fail the way a lost database connection does.
      store: {
        ...createMemoryProfileStore(),
        get: async () => {
          throw new Error(`connect ECONNREFUSED ${secret}`);
        },
      },
    });
    return {
      handler: createProfileDepsHandler({
        service: broken.service,
        repository: broken.repository,
        authenticate,
        logger,
      }),
      request: () => new Request("http://portside.test/profiles/anything", { headers: writer }),
    };
  },
});
