import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { stat, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Copies an upload (its chunks counted against the route's limit by the HTTP layer) to a temporary
 * file, so an over-limit upload is refused before the import writes anything, and the job can read
 * the file again after a crash.
 */
export async function spoolUpload(
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ path: string; bytes: number }> {
  const path = join(tmpdir(), `portside-registry-upload-${randomUUID()}`);
  // A generous buffer keeps the socket read at network speed (so the client's in-flight bytes stay
  // few when a 413 ends the upload), while a slow disk still pushes back past 8 MiB.
  const file = createWriteStream(path, { highWaterMark: 8 * 1024 * 1024 });
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      bytes += chunk.byteLength;
      if (!file.write(chunk)) await once(file, "drain");
    }
    file.end();
    await once(file, "finish");
    return { path, bytes };
  } catch (error) {
    // Answer at once (the client is still sending); the partial file goes in the background.
    file.destroy();
    file.once("close", () => void unlink(path).catch(() => {}));
    throw error;
  }
}

export function spooled(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path);
}

export async function spoolExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export async function dropSpool(path: string): Promise<void> {
  await unlink(path).catch(() => {});
}
