import { RecorderError, RecorderErrorCode } from "../errors.js";
import { fromBase64 } from "./bytes.js";
import { createScratch, decryptMany } from "./decrypt-many.js";
import type { KeySource } from "./key-source.js";
import { decryptLegacyBytes, encryptLegacy } from "./legacy.js";
import { decryptV2Bytes, encryptV2, readV2Header } from "./v2.js";

/** Options of `createKeyring`: the legacy key, the v2 keys by id and the key new events are encrypted with. */
export interface KeyringOptions {
  /** Key of the legacy AES-CBC format (16, 24 or 32 bytes). */
  legacy?: KeySource;
  /** v2 keys (32 bytes each) by key id. */
  keys?: Readonly<Record<string, KeySource>>;
  /** Key id `encrypt` uses for v2; default: the only v2 key, if there is one. */
  currentKeyId?: string;
}

/** Keys resolved from their sources: decrypts either format, encrypts v2 (or legacy when no v2 key). */
export interface Keys {
  /** Decrypts a body of either format with the key it names. */
  decrypt(body: string): string;
  /** `decrypt` of many bodies at once, cheaper; each result is the plaintext or the error `decrypt` throws. */
  decryptMany(bodies: readonly string[]): (string | RecorderError)[];
  /** Encrypts a body with the current key (v2, or legacy when there is no v2 key). */
  encrypt(plaintext: string): string;
  readonly keyIds: readonly string[];
  readonly hasLegacy: boolean;
}

/** A recorder's keys, fetched from their sources once, when first needed. */
export interface Keyring {
  /** Fetches every key (once: sources cache) and returns the resolved keys. */
  resolve(): Promise<Keys>;
}

/** Keys from key bytes already in hand (`createKeyring` fetches them from their sources first). */
export function createKeys(
  legacy: Uint8Array | undefined,
  keys: Record<string, Uint8Array>,
  currentKeyId?: string,
): Keys {
  const ids = Object.keys(keys);
  const current = currentKeyId ?? (ids.length === 1 ? ids[0] : undefined);
  if (current !== undefined && !keys[current]) {
    throw new RecorderError(
      RecorderErrorCode.keyUnavailable,
      `Current key id ${current} is not among the v2 keys`,
    );
  }
  if (!legacy && ids.length === 0) {
    throw new RecorderError(
      RecorderErrorCode.keyUnavailable,
      "A keyring needs a legacy key or at least one v2 key",
    );
  }
  const scratch = createScratch();
  const decrypt = (body: string): string => {
    const raw = fromBase64(body, "Message");
    const header = readV2Header(raw);
    const key = header ? keys[header.keyId] : undefined;
    if (header && key) {
      try {
        return decryptV2Bytes(raw, header, key);
      } catch (error) {
        // A legacy IV starts with 0x02 once in 256 messages: fall back before giving up.
        if (!legacy) throw error;
      }
    }
    if (!legacy) {
      throw new RecorderError(
        RecorderErrorCode.undecryptable,
        header
          ? `Message names unknown key ${header.keyId}`
          : "Not a v2 message and no legacy key is configured",
      );
    }
    return decryptLegacyBytes(raw, legacy);
  };
  return {
    keyIds: ids,
    hasLegacy: legacy !== undefined,
    decrypt,
    decryptMany: (bodies) => decryptMany(bodies, legacy, keys, decrypt, scratch),
    encrypt(plaintext) {
      if (current !== undefined) return encryptV2(plaintext, current, keys[current]!);
      return encryptLegacy(plaintext, legacy!);
    },
  };
}

/** A keyring whose keys come from sources (raw, KMS-encrypted, S3-held), each fetched once. */
export function createKeyring(options: KeyringOptions): Keyring {
  let resolved: Promise<Keys> | null = null;
  return {
    resolve() {
      if (!resolved) {
        resolved = (async () => {
          const entries = Object.entries(options.keys ?? {});
          const [legacy, ...v2] = await Promise.all([
            options.legacy ? options.legacy() : Promise.resolve(undefined),
            ...entries.map(([, source]) => source()),
          ]);
          const keys = Object.fromEntries(entries.map(([id], i) => [id, v2[i]!]));
          return createKeys(legacy, keys, options.currentKeyId);
        })().catch((error: unknown) => {
          resolved = null;
          if (error instanceof RecorderError) throw error;
          throw new RecorderError(
            RecorderErrorCode.keyUnavailable,
            `Keys unavailable: ${(error as Error).message}`,
            {
              cause: error,
            },
          );
        });
      }
      return resolved;
    },
  };
}
