import { z } from "zod";
import { RecorderError, RecorderErrorCode } from "../errors.js";
import type { Counters } from "../observability.js";
import type { EventReader, QuarantineStore } from "../ports.js";
import type { Recorder } from "../recorder.js";

export interface RecorderHttpOptions {
  /** Takes an encrypted body as a producer sends it (e.g. onto a queue) and returns its message id. */
  submit?: (body: string) => Promise<string> | string;
  reader?: EventReader;
  quarantine?: QuarantineStore;
  /** Needed for `POST /quarantine/replay` and `GET /events/counters`. */
  recorder?: Pick<Recorder, "replay" | "counters">;
  /** Return false to answer 401. Default: everything is allowed. */
  authorize?: (request: Request) => boolean | Promise<boolean>;
  /** Largest accepted body. Default 256 KiB (SQS's limit). */
  maxBodyBytes?: number;
}

const STATUS: Record<string, number> = {
  [RecorderErrorCode.invalidArgument]: 400,
  [RecorderErrorCode.invalidEvent]: 422,
  [RecorderErrorCode.notFound]: 404,
  [RecorderErrorCode.sinkUnavailable]: 503,
  [RecorderErrorCode.keyUnavailable]: 503,
};

const errorResponse = (status: number, code: string, message: string, details: unknown = {}) =>
  Response.json({ error: { code, message, details } }, { status });

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
const replayBody = z.object({
  ids: z.array(z.string().min(1)).min(1).max(1000).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  throw new RecorderError(RecorderErrorCode.invalidArgument, "Invalid request", { issues });
}

const stripUndefined = <T extends Record<string, unknown>>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/**
 * `createRecorderHttpHandler(options)`: a fetch handler for the recorder.
 * - `POST /events`: the encrypted body, as a producer sends it → 202 `{ messageId }`
 * - `GET /events?sessionId&eventType&from&to&limit&cursor`, `GET /events/<eventId>`
 * - `GET /events/counters`: received, recorded, duplicates, quarantined, retried
 * - `GET /quarantine?limit&cursor&all`, `GET /quarantine/<id>`, `POST /quarantine/replay` `{ ids?, limit? }`
 */
export function createRecorderHttpHandler(
  options: RecorderHttpOptions,
): (request: Request) => Promise<Response> {
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new RecorderError(RecorderErrorCode.notFound, `${what} is not configured here`);
    return value;
  };

  const route = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const query = Object.fromEntries(url.searchParams);
    const method = request.method.toUpperCase();

    if (parts[0] === "events") {
      if (parts.length === 1 && method === "POST") {
        const submit = need(options.submit, "Submitting events");
        const length = Number(request.headers.get("content-length") ?? "0");
        if (length > maxBodyBytes)
          return errorResponse(413, "PAYLOAD_TOO_LARGE", `Bodies are at most ${maxBodyBytes} bytes`);
        const body = (await request.text()).trim();
        if (Buffer.byteLength(body) > maxBodyBytes) {
          return errorResponse(413, "PAYLOAD_TOO_LARGE", `Bodies are at most ${maxBodyBytes} bytes`);
        }
        if (body.length === 0)
          return errorResponse(400, RecorderErrorCode.invalidArgument, "The body is empty");
        return Response.json({ messageId: await submit(body) }, { status: 202 });
      }
      if (parts.length === 1 && method === "GET") {
        const q = parse(listQuery, query);
        return Response.json(await need(options.reader, "Reading events").listEvents(stripUndefined(q)));
      }
      if (parts.length === 2 && parts[1] === "counters" && method === "GET") {
        const counters: Counters = need(options.recorder, "The recorder").counters();
        return Response.json(counters);
      }
      if (parts.length === 2 && method === "GET") {
        const event = await need(options.reader, "Reading events").getEvent(parts[1]!);
        if (!event) return errorResponse(404, RecorderErrorCode.notFound, `No event ${parts[1]}`);
        return Response.json(event);
      }
    }
    if (parts[0] === "quarantine") {
      const store = need(options.quarantine, "The quarantine");
      if (parts.length === 1 && method === "GET") {
        const q = parse(quarantineQuery, query);
        return Response.json(
          await store.list(
            stripUndefined({ limit: q.limit, cursor: q.cursor, includeReplayed: q.all === "true" }),
          ),
        );
      }
      if (parts.length === 2 && parts[1] === "replay" && method === "POST") {
        let json: unknown = {};
        const text = await request.text();
        if (text.trim()) {
          try {
            json = JSON.parse(text);
          } catch {
            return errorResponse(400, RecorderErrorCode.invalidArgument, "The body is not JSON");
          }
        }
        const input = parse(replayBody, json);
        return Response.json(
          await need(options.recorder, "The recorder").replay(store, stripUndefined(input)),
        );
      }
      if (parts.length === 2 && method === "GET") {
        const entry = await store.get(parts[1]!);
        if (!entry)
          return errorResponse(404, RecorderErrorCode.notFound, `No quarantined message ${parts[1]}`);
        return Response.json(entry);
      }
    }
    return errorResponse(404, RecorderErrorCode.notFound, `No route for ${method} ${url.pathname}`);
  };

  return async (request) => {
    try {
      if (options.authorize && !(await options.authorize(request))) {
        return errorResponse(401, "UNAUTHENTICATED", "Authentication required");
      }
      return await route(request);
    } catch (error) {
      if (error instanceof RecorderError) {
        return errorResponse(STATUS[error.code] ?? 500, error.code, error.message, { issues: error.issues });
      }
      return errorResponse(500, "INTERNAL", "Unexpected error");
    }
  };
}
