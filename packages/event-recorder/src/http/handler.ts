import {
  type Actor,
  type CorsOptions,
  createHttpHandler,
  type FetchHandler,
  type HttpLogger,
  parseInput,
  type Route,
} from "@portside/http";
import { z } from "zod";
import { RecorderError, RecorderErrorCode } from "../errors.js";
import type { EventReader, QuarantineStore } from "../ports.js";
import type { Recorder } from "../recorder.js";
import { recorderErrors } from "./error-statuses.js";

/** Options of `createEventRecorderHandler`: what it submits to, reads from and who may call it. */
export interface EventRecorderHandlerOptions {
  /** Takes an encrypted body as a producer sends it (e.g. onto a queue) and returns its message id. */
  submit?: (body: string) => Promise<string> | string;
  reader?: EventReader;
  quarantine?: QuarantineStore;
  /** Needed for `POST /quarantine/replay` and `GET /events/counters`. */
  recorder?: Pick<Recorder, "replay" | "counters">;
  /**
   * The caller, or `null` for 401. Reading events (they are decrypted) and the quarantine need
   * `adminRole`; submitting needs any authenticated caller. Without it, everything is open.
   */
  authenticate?: (request: Request) => Actor | null | Promise<Actor | null>;
  /** @deprecated Use `authenticate`. Return false to answer 401; true grants every operation. */
  authorize?: (request: Request) => boolean | Promise<boolean>;
  /** Role reads and quarantine operations need (default `admin`). */
  adminRole?: string;
  /** Largest `POST /events` body. Default 256 KiB (SQS's limit). */
  maxBodyBytes?: number;
  logger?: HttpLogger;
  cors?: CorsOptions;
}

/** @deprecated Renamed `EventRecorderHandlerOptions`. */
export type RecorderHttpOptions = EventRecorderHandlerOptions;

const REPLAY_BODY_LIMIT = 64 * 1024;

const optionalDate = z.iso
  .datetime({ offset: true })
  .transform((v) => new Date(v))
  .optional();
const listQuery = z.object({
  sessionId: z.string().min(1).optional(),
  eventType: z.string().min(1).optional(),
  from: optionalDate,
  to: optionalDate,
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().min(1).optional(),
});
const quarantineQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().min(1).optional(),
  all: z.enum(["true", "false"]).optional(),
});
const replayBody = z
  .object({
    ids: z.array(z.string().min(1)).min(1).max(1000).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

const stripUndefined = <T extends Record<string, unknown>>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined)
    throw new RecorderError(RecorderErrorCode.notFound, `${what} is not configured here`);
  return value;
};

function authenticateWith(options: EventRecorderHandlerOptions, admin: string) {
  if (options.authenticate) return options.authenticate;
  const authorize = options.authorize;
  if (!authorize) return undefined;
  return async (request: Request): Promise<Actor | null> =>
    (await authorize(request)) ? { id: "authorized", roles: [admin] } : null;
}

/**
 * The recorder's fetch handler:
 * - `POST /events`: the encrypted body, as a producer sends it → 202 `{ messageId }`
 * - `GET /events?sessionId&eventType&from&to&limit&cursor`, `GET /events/<eventId>`, `GET /events/counters`
 * - `GET /quarantine?limit&cursor&all`, `GET /quarantine/<id>`, `POST /quarantine/replay` `{ ids?, limit? }`
 */
export function createEventRecorderHandler(options: EventRecorderHandlerOptions): FetchHandler {
  const admin = [options.adminRole ?? "admin"];
  const routes: Route[] = [
    {
      method: "POST",
      path: "/events",
      bodyLimit: options.maxBodyBytes ?? 256 * 1024,
      handle: async ({ text }) => {
        const submit = need(options.submit, "Submitting events");
        const body = (await text()).trim();
        if (body.length === 0)
          throw new RecorderError(RecorderErrorCode.invalidArgument, "The body is empty");
        return Response.json({ messageId: await submit(body) }, { status: 202 });
      },
    },
    {
      method: "GET",
      path: "/events",
      roles: admin,
      handle: async ({ query }) => {
        const q = parseInput(listQuery, query, "query");
        return Response.json(await need(options.reader, "Reading events").listEvents(stripUndefined(q)));
      },
    },
    {
      method: "GET",
      path: "/events/counters",
      roles: admin,
      handle: () => Response.json(need(options.recorder, "The recorder").counters()),
    },
    {
      method: "GET",
      path: "/events/:eventId",
      roles: admin,
      handle: async ({ params }) => {
        const event = await need(options.reader, "Reading events").getEvent(params.eventId!);
        if (!event) throw new RecorderError(RecorderErrorCode.notFound, `No event ${params.eventId}`);
        return Response.json(event);
      },
    },
    {
      method: "GET",
      path: "/quarantine",
      roles: admin,
      handle: async ({ query }) => {
        const q = parseInput(quarantineQuery, query, "query");
        const store = need(options.quarantine, "The quarantine");
        return Response.json(
          await store.list(
            stripUndefined({ limit: q.limit, cursor: q.cursor, includeReplayed: q.all === "true" }),
          ),
        );
      },
    },
    {
      method: "POST",
      path: "/quarantine/replay",
      roles: admin,
      bodyLimit: REPLAY_BODY_LIMIT,
      handle: async ({ optionalJson }) => {
        const input = await optionalJson(replayBody, {});
        const store = need(options.quarantine, "The quarantine");
        return Response.json(
          await need(options.recorder, "The recorder").replay(store, stripUndefined(input)),
        );
      },
    },
    {
      method: "GET",
      path: "/quarantine/:id",
      roles: admin,
      handle: async ({ params }) => {
        const entry = await need(options.quarantine, "The quarantine").get(params.id!);
        if (!entry)
          throw new RecorderError(RecorderErrorCode.notFound, `No quarantined message ${params.id}`);
        return Response.json(entry);
      },
    },
  ];
  const authenticate = authenticateWith(options, admin[0]!);
  return createHttpHandler({
    routes,
    errors: [recorderErrors],
    ...(authenticate ? { authenticate } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.cors ? { cors: options.cors } : {}),
  });
}

/** @deprecated Renamed `createEventRecorderHandler` (one `create<Domain>Handler` scheme for every package). */
export const createRecorderHttpHandler = createEventRecorderHandler;
