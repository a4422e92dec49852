import {
  createKeyring,
  createMemoryEventSink,
  createMemoryQuarantineStore,
  createMemoryQueue,
  createRecorder,
  type EventReader,
  rawKey,
} from "@portside/event-recorder";
import { createEventRecorderHandler } from "@portside/event-recorder/http";
import { describeHttpConformance } from "@portside/http/testing";
import { legacyKey } from "./fixtures.js";

const queue = createMemoryQueue({ retryDelayMs: 10 });

const admin = { authorization: "Bearer admin" };
const authenticate = (request: Request) =>
  request.headers.get("authorization") === admin.authorization ? { id: "ops", roles: ["admin"] } : null;

describeHttpConformance("event-recorder", {
  create: ({ logger }) => {
    const sink = createMemoryEventSink();
    const quarantine = createMemoryQuarantineStore();
    const recorder = createRecorder({
      keyring: createKeyring({ legacy: rawKey(legacyKey) }),
      sink,
      quarantine,
    });
    queue.start((messages) => recorder.recordBatch(messages));
    return {
      handler: createEventRecorderHandler({
        submit: (body) => queue.send(body),
        reader: sink,
        quarantine,
        recorder,
        authenticate,
        logger,
        maxBodyBytes: 4096,
      }),
      headers: admin,
      resource: { path: "/events/some-event", methods: ["GET"] },
      bodyRoutes: [
        { method: "POST", path: "/events", limit: 4096, contentType: "text/plain" },
        { method: "POST", path: "/quarantine/replay", limit: 64 * 1024 },
      ],
      json: { method: "POST", path: "/quarantine/replay", unknownField: { limit: 5, everything: true } },
    };
  },
  destroy: () => queue.stop(),
  failing: async ({ logger, secret }) => {
    const broken: EventReader = {
      listEvents: async () => {
        throw new Error(`connect ECONNREFUSED ${secret}`);
      },
      getEvent: async () => {
        throw new Error(secret);
      },
    };
    return {
      handler: createEventRecorderHandler({ reader: broken, authenticate, logger }),
      request: () => new Request("http://recorder/events", { headers: admin }),
    };
  },
});
