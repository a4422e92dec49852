const TOKEN_END = "\u0000";
const ALPHA_START = "\u0002";
const ALPHA_END = "\u0001";
const NUMERIC_START = "\u0003";
const NUMERIC_LENGTH_BASE = 0x30;
const PADDING_BASE = 0xf000;

/** Greater than every key a real version can produce. */
export const INFINITE_KEY = "\uffff";

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * Encodes one version token so that comparing keys as strings orders tokens as
 * Rez does: alternating alpha and numeric runs, alpha below numeric, alpha runs
 * in ASCII order, numeric runs by value then by their text (`01` < `1`, and for
 * runs of zeros `0` < `00` < `000`), and a shorter run list below a longer one it
 * prefixes.
 */
export function encodeToken(token: string): string {
  let key = "";
  let start = 0;
  while (start < token.length) {
    const numeric = isDigit(token.charCodeAt(start));
    let end = start + 1;
    while (end < token.length && isDigit(token.charCodeAt(end)) === numeric) end++;
    const run = token.slice(start, end);
    if (numeric) {
      let zeros = 0;
      while (zeros < run.length && run.charCodeAt(zeros) === 48) zeros++;
      const digits = run.slice(zeros);
      // Equal values compare as text: leading zeros lower a number, but extend a run of zeros.
      const padding = digits === "" ? PADDING_BASE + zeros : PADDING_BASE - zeros;
      key +=
        NUMERIC_START +
        String.fromCharCode(NUMERIC_LENGTH_BASE + digits.length) +
        digits +
        String.fromCharCode(padding);
    } else {
      key += ALPHA_START + run + ALPHA_END;
    }
    start = end;
  }
  return key + TOKEN_END;
}

/** The key of `next(version)`: the last token gains a trailing `_` run, as in Rez. */
export function nextKey(key: string): string {
  const lastRunEnd = key.charCodeAt(key.length - 2);
  if (lastRunEnd === ALPHA_END.charCodeAt(0)) {
    return `${key.slice(0, -2)}_${ALPHA_END}${TOKEN_END}`;
  }
  return `${key.slice(0, -1)}${ALPHA_START}_${ALPHA_END}${TOKEN_END}`;
}
