import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { stat, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RegistryError, RegistryErrorCode } from "../errors.js";

/**
 * Copies an upload to a temporary file, counting bytes as they arrive and stopping at the limit,
 * so an over-limit upload is refused before the import writes anything, and the job can read the
 * file again after a crash.
 */
export async function spoolUpload(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<{ path: string; bytes: number }> {
  const path = join(tmpdir(), `portside-registry-upload-${randomUUID()}`);
  const file = createWriteStream(path);
  let bytes = 0;
  try {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new RegistryError(
          RegistryErrorCode.payloadTooLarge,
          `The upload is larger than ${maxBytes} bytes`,
        );
      }
      if (!file.write(value)) await once(file, "drain");
    }
    file.end();
    await once(file, "finish");
    return { path, bytes };
  } catch (error) {
    file.destroy();
    await unlink(path).catch(() => {});
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
