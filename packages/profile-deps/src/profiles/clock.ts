/** Time source, so tests can pin it. */
export interface Clock {
  /** The current time. */
  now(): Date;
}

/** The clock of the machine. */
export const systemClock: Clock = { now: () => new Date() };
