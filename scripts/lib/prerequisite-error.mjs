/** A missing tool the test command needs, with both ways to fix it. */
export class PrerequisiteError extends Error {
  constructor(what, install, envVar) {
    super(
      `${what} not found.\n  Fix it either way:\n  - install it: ${install}\n  - or point ${envVar} at a running one`,
    );
    this.name = "PrerequisiteError";
  }
}
