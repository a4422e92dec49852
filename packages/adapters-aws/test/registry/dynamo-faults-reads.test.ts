import { registryUnderFaults } from "./fault-suites.js";

registryUnderFaults(["short query pages", "lagging index"]);
