import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

/** Tests run on the sources: `@portside/x` is `packages/x/src/index.ts`, `@portside/x/y` is `packages/x/src/y/index.ts`. */
const sourceAliases = [
  { find: /^#test-support$/, replacement: `${root}scripts/test-support/index.ts` },
  { find: /^@portside\/([a-z0-9-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
  { find: /^@portside\/([a-z0-9-]+)\/([a-z0-9-]+)$/, replacement: `${root}packages/$1/src/$2/index.ts` },
];

const project = (name: string, dir: string, extra: Record<string, unknown> = {}) => ({
  extends: true as const,
  test: { name, root: `${root}${dir}`, include: ["test/**/*.test.ts"], ...extra },
});

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      project("smoke", "."),
      project("profile-deps", "packages/profile-deps"),
      project("registry-core", "packages/registry-core"),
      project("event-recorder", "packages/event-recorder"),
      project("dj-room", "packages/dj-room"),
      project("adapters-aws", "packages/adapters-aws"),
      project("http", "packages/http"),
      project("service-kit", "packages/service-kit"),
      project("examples", "examples", { include: ["*/test/**/*.test.ts"] }),
    ],
  },
});
