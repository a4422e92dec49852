import { createMemoryRegistryStore } from "@portside/registry-core";
import { registryStoreConformance } from "@portside/registry-core/testing";

registryStoreConformance("memory", { createStore: () => createMemoryRegistryStore() });
