// A roll-up bucket: counts of one service's results in one minute, hour or day (UTC). Up and
// total counts are exact sums, so uptime from roll-ups equals uptime from the raw results.
import { addSample, decodeHistogram, emptyHistogram, encodeHistogram, mergeInto, percentile, type Histogram } from './latency-histogram.js';
import type { ResultRollupTable } from './retention-tables.js';

export type Resolution = 'minute' | 'hour' | 'day';
export const resolutionMs: Record<Resolution, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export interface RollupBucket {
  serviceId: string;
  resolution: Resolution;
  start: number;
  total: number;
  up: number;
  latencyCount: number;
  latencySum: number;
  latencyMax: number | null;
  histogram: Histogram;
}

export interface UptimeStats {
  total: number;
  up: number;
  /** up / total, or null when nothing was checked. */
  uptime: number | null;
  /** Response times; p50/p95 are estimates (see latency-histogram.ts), mean and max are exact. */
  latency: { mean: number; p50: number; p95: number; max: number } | null;
}

export const alignDown = (t: number, size: number) => Math.floor(t / size) * size;
export const alignUp = (t: number, size: number) => Math.ceil(t / size) * size;

export function newBucket(serviceId: string, resolution: Resolution, start: number): RollupBucket {
  return { serviceId, resolution, start, total: 0, up: 0, latencyCount: 0, latencySum: 0, latencyMax: null, histogram: emptyHistogram() };
}

export function addResult(bucket: RollupBucket, up: boolean, latencyMs: number | null): void {
  bucket.total += 1;
  if (up) bucket.up += 1;
  if (latencyMs === null) return;
  bucket.latencyCount += 1;
  bucket.latencySum += latencyMs;
  bucket.latencyMax = bucket.latencyMax === null ? latencyMs : Math.max(bucket.latencyMax, latencyMs);
  addSample(bucket.histogram, latencyMs);
}

export function mergeBucket(target: RollupBucket, source: RollupBucket): void {
  target.total += source.total;
  target.up += source.up;
  target.latencyCount += source.latencyCount;
  target.latencySum += source.latencySum;
  if (source.latencyMax !== null) target.latencyMax = target.latencyMax === null ? source.latencyMax : Math.max(target.latencyMax, source.latencyMax);
  mergeInto(target.histogram, source.histogram);
}

/** Groups buckets (or results turned into buckets) by service and aligned start. */
export class BucketGrouper {
  private readonly buckets = new Map<string, RollupBucket>();
  constructor(private readonly resolution: Resolution) {}

  bucketFor(serviceId: string, at: number): RollupBucket {
    const start = alignDown(at, resolutionMs[this.resolution]);
    const key = `${serviceId}\u0000${start}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = newBucket(serviceId, this.resolution, start);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  all(): RollupBucket[] {
    return [...this.buckets.values()];
  }
}

export function statsOf(bucket: Pick<RollupBucket, 'total' | 'up' | 'latencyCount' | 'latencySum' | 'latencyMax' | 'histogram'>): UptimeStats {
  const latency = bucket.latencyCount === 0 || bucket.latencyMax === null ? null : {
    mean: bucket.latencySum / bucket.latencyCount,
    p50: percentile(bucket.histogram, 0.5, bucket.latencyMax) ?? 0,
    p95: percentile(bucket.histogram, 0.95, bucket.latencyMax) ?? 0,
    max: bucket.latencyMax,
  };
  return { total: bucket.total, up: bucket.up, uptime: bucket.total === 0 ? null : bucket.up / bucket.total, latency };
}

export function toRow(b: RollupBucket): ResultRollupTable {
  return {
    service_id: b.serviceId, resolution: b.resolution, bucket_start: b.start, total_count: b.total, up_count: b.up,
    latency_count: b.latencyCount, latency_sum: b.latencySum, latency_max: b.latencyMax, histogram: encodeHistogram(b.histogram),
  };
}

export function fromRow(r: ResultRollupTable): RollupBucket {
  return {
    serviceId: r.service_id, resolution: r.resolution as Resolution, start: Number(r.bucket_start),
    total: Number(r.total_count), up: Number(r.up_count), latencyCount: Number(r.latency_count),
    latencySum: Number(r.latency_sum), latencyMax: r.latency_max === null ? null : Number(r.latency_max),
    histogram: decodeHistogram(r.histogram),
  };
}
