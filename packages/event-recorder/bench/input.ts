import { closeSync, openSync, readFileSync, readSync } from "node:fs";

/** The bodies file the generator wrote: newline-separated bodies and their offsets (`<file>.offsets`). */
export interface BenchInput {
  /** `offsets[i]` is where body `i` starts; `offsets[count]` is the file's length. */
  offsets: Uint32Array;
  /** Bodies `from` to `to` (exclusive), read from disk as a consumer receives one batch at a time. */
  readBodies(from: number, to: number): string[];
  close(): void;
}

export function openInput(file: string): BenchInput {
  const offsets = new Uint32Array(readFileSync(`${file}.offsets`).buffer.slice(0));
  const fd = openSync(file, "r");
  return {
    offsets,
    readBodies(from, to) {
      const bytes = Buffer.alloc(offsets[to]! - offsets[from]!);
      readSync(fd, bytes, 0, bytes.length, offsets[from]!);
      return bytes.toString("latin1").split("\n", to - from);
    },
    close: () => closeSync(fd),
  };
}
