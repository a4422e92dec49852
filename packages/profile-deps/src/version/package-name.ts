/** Rez's package name: word characters in runs joined by single dots (no `..`, no trailing `.`). */
const PACKAGE_NAME = /^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$/;
/** Names Rez reserves because they clash with directories of a filesystem repository. */
const RESERVED_NAMES = new Set(["__pycache__"]);

/** Whether Rez accepts `name` as a package family name (an ephemeral's name without its leading `.`). */
export function isValidPackageName(name: string): boolean {
  return PACKAGE_NAME.test(name) && !RESERVED_NAMES.has(name);
}
