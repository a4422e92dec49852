import { registryUnderFaults } from "./fault-suites.js";

registryUnderFaults(["transaction conflicts", "lost responses"]);
