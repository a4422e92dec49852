/** The domains a service can compose, by the package that implements each. */
export const domainPackages = {
  registry: "@portside/registry-core",
  "event-recorder": "@portside/event-recorder",
  "profile-deps": "@portside/profile-deps",
  "dj-room": "@portside/dj-room",
} as const;

/** A domain a service can compose. */
export type Domain = keyof typeof domainPackages;

/** Every domain a service can compose. */
export const domains = Object.keys(domainPackages) as Domain[];

/** The path prefixes each domain's `./http` handler answers, so one service can mount several. */
export const domainRoutes: Record<Domain, readonly string[]> = {
  registry: ["/entityType", "/entity"],
  "event-recorder": ["/events", "/quarantine"],
  "profile-deps": ["/profiles", "/resolve", "/packages"],
  "dj-room": ["/rooms", "/spotify", "/dj"],
};
