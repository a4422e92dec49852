import { z } from "zod";
import {
  createErrorMapper,
  createHttpHandler,
  entityTag,
  type HttpLogger,
  ifMatchVersion,
  preconditionFailed,
} from "../src/index.js";

class NoteError extends Error {
  constructor(
    readonly code: "NOTE_NOT_FOUND" | "NOTE_CONFLICT" | "NOTE_STORE_FAILURE",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const noteErrors = createErrorMapper({
  errorClass: NoteError,
  statuses: { NOTE_NOT_FOUND: 404, NOTE_CONFLICT: 409, NOTE_STORE_FAILURE: 503 },
});

export interface NoteStore {
  get(id: string): Promise<{ text: string; version: number } | undefined>;
  put(id: string, text: string, expected?: number): Promise<{ text: string; version: number }>;
}

export function memoryNotes(): NoteStore {
  const notes = new Map<string, { text: string; version: number }>();
  return {
    async get(id) {
      return notes.get(id);
    },
    async put(id, text, expected) {
      const current = notes.get(id);
      if (expected !== undefined && current?.version !== expected)
        throw new NoteError("NOTE_CONFLICT", "stale");
      const next = { text, version: (current?.version ?? 0) + 1 };
      notes.set(id, next);
      return next;
    },
  };
}

const noteBody = z.object({ text: z.string().max(100) }).strict();

/** A tiny handler on the layer, the way a domain package builds one. */
export function createNotesHandler(options: {
  store: NoteStore;
  logger?: HttpLogger;
  requirePreconditions?: boolean;
}) {
  const { store } = options;
  return createHttpHandler({
    logger: options.logger,
    errors: [noteErrors],
    requirePreconditions: options.requirePreconditions,
    routes: [
      {
        method: "GET",
        path: "/notes/:id",
        handle: async ({ params }) => {
          const note = await store.get(params.id!);
          if (!note) throw new NoteError("NOTE_NOT_FOUND", `No note ${params.id}`);
          return Response.json(note, { headers: { etag: entityTag(note.version) } });
        },
      },
      {
        method: "PUT",
        path: "/notes/:id",
        bodyLimit: 1024,
        conditional: true,
        handle: async ({ params, request, json }) => {
          const { text } = await json(noteBody);
          const expected = ifMatchVersion(request);
          try {
            const note = await store.put(
              params.id!,
              text,
              expected === undefined ? undefined : Number(expected),
            );
            return Response.json(note, { headers: { etag: entityTag(note.version) } });
          } catch (error) {
            if (expected !== undefined && error instanceof NoteError && error.code === "NOTE_CONFLICT")
              throw preconditionFailed();
            throw error;
          }
        },
      },
      {
        method: "POST",
        path: "/notes/:id/lines",
        bodyLimit: 64 * 1024,
        handle: async ({ ndjson }) => {
          let count = 0;
          for await (const _ of ndjson()) count += 1;
          return Response.json({ count });
        },
      },
    ],
  });
}
