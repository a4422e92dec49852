import { registryUnderFaults } from "./fault-suites.js";

// "lagging index" is left out for now: since every registry commit became one TransactWriteItems,
// the fault layer's lag never hides any of the registry's writes (its lagged-item count stays 0),
// so a run under it would prove nothing. Reported to the fault layer's owner.
registryUnderFaults(["short query pages"]);
