import { createMemorySearchIndex } from "@portside/registry-core";
import { searchIndexConformance } from "@portside/registry-core/testing";

searchIndexConformance("memory", { create: () => createMemorySearchIndex() });
