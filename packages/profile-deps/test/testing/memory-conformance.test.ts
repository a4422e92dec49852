import { createMemoryProfileStore, createPublishableMemoryRepository } from "@portside/profile-deps";
import {
  describePackageRepositoryConformance,
  describeProfileStoreConformance,
} from "@portside/profile-deps/testing";

const store = createMemoryProfileStore();
describeProfileStoreConformance("memory", {
  create: () => store,
  backdoor: async (name) => store.dump().filter((p) => p.name === name),
});
describePackageRepositoryConformance("memory", { create: () => createPublishableMemoryRepository() });
