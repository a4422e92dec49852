export interface TimingSummary {
  readonly count: number;
  readonly totalMs: number;
  readonly meanMs: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly maxMs: number;
}

export function summarise(timesMs: readonly number[]): TimingSummary {
  const sorted = [...timesMs].sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((a, b) => a + b, 0);
  const at = (q: number) => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(q * n))]!);
  const median = n === 0 ? 0 : n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return {
    count: n,
    totalMs: total,
    meanMs: n === 0 ? 0 : total / n,
    medianMs: median,
    p90Ms: at(0.9),
    maxMs: n === 0 ? 0 : sorted[n - 1]!,
  };
}

/** Peak resident set size of this process so far, in megabytes. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
