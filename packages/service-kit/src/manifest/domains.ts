/** The domains a service can compose, by the package that implements each. */
export const domainPackages = {
  registry: "@portside/registry-core",
  "event-recorder": "@portside/event-recorder",
  "profile-deps": "@portside/profile-deps",
  "dj-room": "@portside/dj-room",
} as const;

export type Domain = keyof typeof domainPackages;

export const domains = Object.keys(domainPackages) as Domain[];
