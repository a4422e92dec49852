import { limitedChunks } from "./body-limit.js";

/**
 * The body's lines, decoded as they stream. Each character is looked at once and each line is
 * joined once, so the cost is linear in the body whatever its line lengths.
 */
export async function* textLines(request: Request, limit: number): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending: string[] = [];
  const take = (text: string): string[] => {
    const lines: string[] = [];
    let start = 0;
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", start)) {
      pending.push(text.slice(start, at));
      lines.push(pending.join(""));
      pending = [];
      start = at + 1;
    }
    if (start < text.length) pending.push(text.slice(start));
    return lines;
  };
  for await (const chunk of limitedChunks(request, limit)) {
    yield* take(decoder.decode(chunk, { stream: true }));
  }
  yield* take(decoder.decode());
  if (pending.length > 0) yield pending.join("");
}
