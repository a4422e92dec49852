import { parentPort } from "node:worker_threads";
import { ProfileDepsError } from "../../errors.js";
import type { PackageFamily } from "../../repository/package-family.js";
import { resolveSync } from "../resolve.js";
import { fromFamilyDefinition, type ResolveJob, type WorkerReply } from "./worker-protocol.js";

/** The resolver pool's worker: keeps the families it was sent, solves one job at a time. */
const families = new Map<number, PackageFamily>();
const port = parentPort;
if (port === null) throw new Error("resolve-worker runs as a worker thread of a resolver pool");

const reply = (message: WorkerReply) => port.postMessage(message);

port.on("message", (job: ResolveJob) => {
  if (job.reset) families.clear();
  for (const definition of job.definitions) families.set(definition.id, fromFamilyDefinition(definition));
  const ids = new Map(job.lookup);
  const lookup = (name: string) => {
    const id = ids.get(name);
    return id === undefined || id === null ? undefined : families.get(id);
  };
  try {
    const result = resolveSync(job.request, lookup, {
      ...job.options,
      onProgress: (progress) => reply({ type: "progress", jobId: job.jobId, progress }),
    });
    reply({ type: "result", jobId: job.jobId, result });
  } catch (error) {
    const e = error as Error;
    const fields: Record<string, unknown> = {};
    for (const key of ["input", "family", "requiredBy", "requirement", "variant", "steps", "elapsedMs"])
      if (key in e) fields[key] = (e as unknown as Record<string, unknown>)[key];
    reply({
      type: "error",
      jobId: job.jobId,
      error: {
        name: e.name,
        message: e.message,
        ...(error instanceof ProfileDepsError ? { code: error.code, details: error.details } : {}),
        fields,
      },
    });
  }
});
