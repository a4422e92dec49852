import type { ComposedDomain } from "@portside/service-kit";

export type { FetchHandler } from "@portside/http";

/** One domain composed with its adapters, ready for a host to mount. */
export type ComposedService = ComposedDomain;
