// A small fixed latency histogram: merged roll-ups keep approximate percentiles without keeping
// every sample. Classes are upper bounds in ms; a percentile is interpolated linearly inside its
// class and never exceeds the exact maximum, so p50/p95 of merged buckets are accurate to one
// class width (e.g. a true p95 of 130 ms may read anywhere in 100-150 ms).
export const latencyClassBounds = [5, 10, 25, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2500, 5000, 10_000, 30_000, Infinity];

export type Histogram = number[];

export function emptyHistogram(): Histogram {
  return latencyClassBounds.map(() => 0);
}

export function classOf(latencyMs: number): number {
  const index = latencyClassBounds.findIndex((bound) => latencyMs <= bound);
  return index === -1 ? latencyClassBounds.length - 1 : index;
}

export function addSample(histogram: Histogram, latencyMs: number): void {
  histogram[classOf(latencyMs)] += 1;
}

export function mergeInto(target: Histogram, source: Histogram): void {
  for (let i = 0; i < target.length; i++) target[i] += source[i] ?? 0;
}

export function encodeHistogram(histogram: Histogram): string {
  // Trailing empty classes are dropped to keep rows short.
  let end = histogram.length;
  while (end > 0 && histogram[end - 1] === 0) end--;
  return histogram.slice(0, end).join(',');
}

export function decodeHistogram(text: string): Histogram {
  const out = emptyHistogram();
  if (text === '') return out;
  text.split(',').forEach((n, i) => { if (i < out.length) out[i] = Number(n); });
  return out;
}

/** The p-th percentile (0 < p <= 1) estimated from the histogram, capped at the known maximum. */
export function percentile(histogram: Histogram, p: number, max: number | null): number | null {
  const count = histogram.reduce((a, b) => a + b, 0);
  if (count === 0) return null;
  const rank = p * count;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    const inClass = histogram[i];
    if (inClass === 0 || seen + inClass < rank) {
      seen += inClass;
      continue;
    }
    const lower = i === 0 ? 0 : latencyClassBounds[i - 1];
    const upper = Number.isFinite(latencyClassBounds[i]) ? latencyClassBounds[i] : (max ?? lower);
    const estimate = lower + ((upper - lower) * (rank - seen)) / inClass;
    return max === null ? estimate : Math.min(estimate, max);
  }
  return max;
}
