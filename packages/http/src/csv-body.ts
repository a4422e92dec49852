import { limitedChunks } from "./body-limit.js";
import { HttpError, HttpErrorCode } from "./errors.js";
import { assertMediaType, CSV_TYPE } from "./media-type.js";

/**
 * RFC 4180 rows as they stream: quoted fields may hold commas, quotes (`""`) and line breaks;
 * CRLF or LF ends a row. One pass over the characters, so the cost is linear in the body.
 */
export async function* readCsv(request: Request, limit: number): AsyncGenerator<string[]> {
  assertMediaType(request, CSV_TYPE, "text/csv");
  const decoder = new TextDecoder();
  let row: string[] = [];
  let field: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let sawAny = false;
  let line = 1;
  const endField = () => {
    row.push(field.join(""));
    field = [];
    afterQuote = false;
  };
  function* feed(text: string): Generator<string[]> {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (quoted) {
        if (c === 34) {
          field.push(text.slice(start, i));
          start = i + 1;
          quoted = false;
          afterQuote = true;
        } else if (c === 10) line += 1;
        continue;
      }
      if (c === 34) {
        if (afterQuote) {
          // `""` inside a quoted field: a literal quote, and the field goes on.
          field.push('"');
          quoted = true;
          afterQuote = false;
          start = i + 1;
          continue;
        }
        if (field.length > 0 || i > start) {
          throw new HttpError(
            HttpErrorCode.invalidBody,
            `CSV line ${line}: a quote inside an unquoted field`,
            {
              details: { line },
            },
          );
        }
        quoted = true;
        start = i + 1;
        sawAny = true;
        continue;
      }
      if (c === 44 || c === 10 || c === 13) {
        if (!afterQuote) field.push(text.slice(start, i));
        endField();
        start = i + 1;
        if (c === 44) {
          sawAny = true;
          continue;
        }
        if (c === 13 && text.charCodeAt(i + 1) === 10) {
          i += 1;
          start = i + 1;
        }
        line += 1;
        const done = row;
        row = [];
        const blank = !sawAny && done.length === 1 && done[0] === "";
        sawAny = false;
        if (!blank) yield done;
        continue;
      }
      if (afterQuote) {
        throw new HttpError(HttpErrorCode.invalidBody, `CSV line ${line}: text after a closing quote`, {
          details: { line },
        });
      }
      sawAny = true;
    }
    if (!afterQuote && start < text.length) field.push(text.slice(start));
  }
  for await (const chunk of limitedChunks(request, limit))
    yield* feed(decoder.decode(chunk, { stream: true }));
  yield* feed(decoder.decode());
  if (quoted) {
    throw new HttpError(HttpErrorCode.invalidBody, `CSV line ${line}: a quoted field is not closed`, {
      details: { line },
    });
  }
  if (sawAny || field.length > 0 || row.length > 0) {
    if (!afterQuote && field.length === 0) field.push("");
    endField();
    yield row;
  }
}
