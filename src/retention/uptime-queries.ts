// Uptime and response-time statistics of a service over any window, from roll-ups where they
// exist and raw results for the rest (the edges of the window and what is not rolled up yet).
// Counts are exact either way: a window gives the same uptime as counting its raw results, as
// long as those results were still within retention when they were rolled up.
import type { Executor } from '../store/executor.js';
import { alignDown, alignUp, mergeBucket, newBucket, resolutionMs, statsOf, type Resolution, type RollupBucket, type UptimeStats } from './rollup-bucket.js';
import { RollupRepository } from './rollup-repository.js';

type Level = Resolution | 'raw';
interface Segment { level: Level; from: number; to: number }

const coarseToFine: Resolution[] = ['day', 'hour', 'minute'];

/** Splits [from, to) into the coarsest complete roll-up buckets available, raw results elsewhere. */
export function coverWindow(from: number, to: number, doneUntil: Record<Resolution, number>, levels: Resolution[] = coarseToFine): Segment[] {
  if (from >= to) return [];
  const [level, ...finer] = levels;
  if (!level) return [{ level: 'raw', from, to }];
  const size = resolutionMs[level];
  const start = alignUp(from, size);
  const end = Math.min(alignDown(to, size), alignDown(doneUntil[level], size));
  if (start >= end) return coverWindow(from, to, doneUntil, finer);
  return [...coverWindow(from, start, doneUntil, finer), { level, from: start, to: end }, ...coverWindow(end, to, doneUntil, finer)];
}

async function windowBucket(repo: RollupRepository, serviceId: string, from: number, to: number, doneUntil: Record<Resolution, number>): Promise<RollupBucket> {
  const total = newBucket(serviceId, 'minute', from);
  for (const segment of coverWindow(from, to, doneUntil)) {
    const buckets = segment.level === 'raw'
      ? await repo.rawBuckets('day', segment.from, segment.to, serviceId)
      : await repo.rollups(segment.level, segment.from, segment.to, serviceId);
    for (const b of buckets) mergeBucket(total, b);
  }
  return total;
}

/** Uptime and latency of a service over [from, to). */
export async function serviceUptime(db: Executor, serviceId: string, from: number, to: number): Promise<UptimeStats> {
  const repo = new RollupRepository(db);
  const progress = await repo.progress();
  return statsOf(await windowBucket(repo, serviceId, from, to, progress));
}

export interface DailyUptime extends UptimeStats {
  /** Start of the UTC day, epoch ms. */
  day: number;
}

/** One entry per UTC day for the last `days` days, oldest first, today (so far) last. */
export async function dailyUptime(db: Executor, serviceId: string, days: number, now: number): Promise<DailyUptime[]> {
  const repo = new RollupRepository(db);
  const progress = await repo.progress();
  const dayMs = resolutionMs.day;
  const today = alignDown(now, dayMs);
  const first = today - (days - 1) * dayMs;
  const rolled = new Map((await repo.rollups('day', first, today + dayMs, serviceId)).map((b) => [b.start, b]));
  const out: DailyUptime[] = [];
  for (let day = first; day <= today; day += dayMs) {
    const bucket = day + dayMs <= progress.day
      ? rolled.get(day) ?? newBucket(serviceId, 'day', day)
      : await windowBucket(repo, serviceId, day, Math.min(day + dayMs, now + 1), progress);
    out.push({ day, ...statsOf(bucket) });
  }
  return out;
}
