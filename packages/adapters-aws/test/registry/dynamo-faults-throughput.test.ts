import { registryUnderFaults } from "./fault-suites.js";

registryUnderFaults(["throttling", "unprocessed batch items"]);
