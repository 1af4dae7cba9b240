/** Order statistics of a sample (milliseconds or any unit). */
export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * The q-quantile by linear interpolation between the closest ranks (as numpy's default). With few samples the high
 * quantiles are close to the maximum (p99 of 30 samples lies between the two largest): the README says so.
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  const high = sorted[upper]!;
  return low + (high - low) * (position - lower);
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    min: round(sorted[0] ?? Number.NaN),
    p50: round(quantile(sorted, 0.5)),
    p90: round(quantile(sorted, 0.9)),
    p99: round(quantile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    mean: round(mean),
  };
}

/** One decimal: benchmark figures are not more precise than that. */
export function round(value: number, decimals = 1): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** `p50 12.3 ms · p90 … · p99 … · max …` for a summary line. */
export function describeSummary(summary: Summary, unit = "ms"): string {
  return `p50 ${summary.p50} ${unit} · p90 ${summary.p90} ${unit} · p99 ${summary.p99} ${unit} · min ${summary.min} · max ${summary.max} ${unit} (n=${summary.n})`;
}
