import { createMemoryRegistryStore } from "@portside/registry-core";
import { registryServiceConformance, registryStoreConformance } from "@portside/registry-core/testing";

registryStoreConformance("memory", { create: () => createMemoryRegistryStore() });
registryServiceConformance("memory", { create: () => createMemoryRegistryStore() });
