// Deletes what retention no longer keeps, in bounded batches so a big backlog never holds a long
// transaction: raw results older than the retention (default 7 days), minute buckets older than
// `minuteKeepMs`, hour buckets older than `hourKeepMs`; day buckets are kept forever. Nothing is
// deleted before the next coarser level has rolled it up.
import type { Executor } from '../store/executor.js';
import { RollupRepository } from './rollup-repository.js';
import type { Resolution } from './rollup-bucket.js';

export interface RetentionPeriods {
  rawMs: number;
  minuteKeepMs: number;
  hourKeepMs: number;
}

export const defaultRollupKeep = { minuteKeepMs: 2 * 86_400_000, hourKeepMs: 400 * 86_400_000 };

const batchSize = 5000;

export async function prune(db: Executor, periods: RetentionPeriods, now: () => number, budgetMs: number): Promise<{ results: number; buckets: number }> {
  const startedAt = now();
  const inBudget = () => now() - startedAt < budgetMs;
  const progress = await new RollupRepository(db).progress();
  let results = 0;
  const rawCutoff = Math.min(now() - periods.rawMs, progress.minute);
  while (inBudget()) {
    const ids = await db.selectFrom('check_results').select('id').where('at', '<', rawCutoff).limit(batchSize).execute();
    if (ids.length === 0) break;
    await db.deleteFrom('check_results').where('id', 'in', ids.map((r) => r.id)).execute();
    results += ids.length;
  }
  let buckets = 0;
  buckets += await pruneBuckets(db, 'minute', Math.min(now() - periods.minuteKeepMs, progress.hour), inBudget);
  buckets += await pruneBuckets(db, 'hour', Math.min(now() - periods.hourKeepMs, progress.day), inBudget);
  return { results, buckets };
}

/** Deletes the oldest bucket times one at a time (one bucket time = at most one row per service). */
async function pruneBuckets(db: Executor, resolution: Resolution, cutoff: number, inBudget: () => boolean): Promise<number> {
  let deleted = 0;
  while (inBudget()) {
    const oldest = await db.selectFrom('result_rollups').select((eb) => eb.fn.min('bucket_start').as('start'))
      .where('resolution', '=', resolution).executeTakeFirst();
    if (oldest?.start === null || oldest?.start === undefined || Number(oldest.start) >= cutoff) break;
    const result = await db.deleteFrom('result_rollups').where('resolution', '=', resolution)
      .where('bucket_start', '=', Number(oldest.start)).executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}
