import { describeHttpConformance } from "@portside/http/testing";
import { createNotesHandler, memoryNotes } from "./demo-handler.js";

let counter = 0;

describeHttpConformance("a handler built on the layer", {
  create: ({ logger }) => {
    const store = memoryNotes();
    const handler = createNotesHandler({ store, logger });
    return {
      handler,
      resource: { path: "/notes/a", methods: ["GET", "PUT"] },
      bodyRoutes: [
        { method: "PUT", path: "/notes/a", limit: 1024 },
        { method: "POST", path: "/notes/a/lines", limit: 64 * 1024, contentType: "application/x-ndjson" },
      ],
      json: { method: "PUT", path: "/notes/a", unknownField: { text: "x", colour: "red" } },
      versioned: {
        async create() {
          const path = `/notes/n${++counter}`;
          await store.put(path.slice(7), "first");
          return path;
        },
        write: () => ({ method: "PUT", body: { text: "second" } }),
      },
    };
  },
  failing: async ({ logger, secret }) => ({
    handler: createNotesHandler({
      logger,
      store: {
        get: async () => {
          throw new Error(`connection refused ${secret}`);
        },
        put: async () => {
          throw new Error(secret);
        },
      },
    }),
    request: () => new Request("http://portside.test/notes/a"),
  }),
});
