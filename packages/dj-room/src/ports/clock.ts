/** The time, as in the other Portside packages: a `Date`. */
export interface Clock {
  /** The current time. */
  now(): Date;
}

/** The clock of the machine. */
export const systemClock: Clock = { now: () => new Date() };

/** Epoch milliseconds from a clock: what rooms store. */
export const epochMs = (clock: Clock): number => clock.now().getTime();
