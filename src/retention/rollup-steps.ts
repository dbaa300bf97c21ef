// Rolls raw results up into minute buckets, minutes into hours and hours into days, each step
// moving forward through completed buckets only. Every bucket range is written in the same
// transaction that advances the step's progress with a compare-and-set, so two instances running
// the same step can never count a result twice: the loser's transaction finds the progress moved
// and rolls back.
import type { DataAccess } from '../store/data-access.js';
import { alignDown, BucketGrouper, mergeBucket, resolutionMs, type Resolution, type RollupBucket } from './rollup-bucket.js';
import { RollupRepository, type RetentionJobName } from './rollup-repository.js';

export interface RollupStep {
  resolution: Resolution;
  /** Buckets per transaction when catching up (bounds memory: raw minutes are the big ones). */
  bucketsPerTransaction: number;
  /** Buckets of this step's resolution covering [from, to), computed from the finer level. */
  compute(repo: RollupRepository, from: number, to: number): Promise<RollupBucket[]>;
  /** The instant before which the source is complete. */
  sourceDoneUntil(progress: Record<RetentionJobName, number>, now: number): number;
  firstSourceAt(repo: RollupRepository, from: number): Promise<number | null>;
}

function regroup(resolution: Resolution, buckets: RollupBucket[]): RollupBucket[] {
  const grouper = new BucketGrouper(resolution);
  for (const b of buckets) mergeBucket(grouper.bucketFor(b.serviceId, b.start), b);
  return grouper.all();
}

export function rollupSteps(settleMs: number): RollupStep[] {
  return [
    {
      resolution: 'minute',
      bucketsPerTransaction: 5,
      compute: (repo, from, to) => repo.rawBuckets('minute', from, to),
      // Results are written shortly after their time; a settle delay lets late batches land first.
      sourceDoneUntil: (_progress, now) => now - settleMs,
      firstSourceAt: (repo, from) => repo.firstRawAt(from),
    },
    {
      resolution: 'hour',
      bucketsPerTransaction: 24,
      compute: async (repo, from, to) => regroup('hour', await repo.rollups('minute', from, to)),
      sourceDoneUntil: (progress) => progress.minute,
      firstSourceAt: (repo, from) => repo.firstRollupAt('minute', from),
    },
    {
      resolution: 'day',
      bucketsPerTransaction: 31,
      compute: async (repo, from, to) => regroup('day', await repo.rollups('hour', from, to)),
      sourceDoneUntil: (progress) => progress.hour,
      firstSourceAt: (repo, from) => repo.firstRollupAt('hour', from),
    },
  ];
}

class ProgressMoved extends Error {}

/**
 * Runs one step forward until it is caught up or `budgetMs` is spent; returns the buckets
 * written. Safe to call from several instances at once (see the file comment).
 */
export async function runRollupStep(data: DataAccess, step: RollupStep, now: () => number, budgetMs: number): Promise<number> {
  const repo = new RollupRepository(data.db);
  const size = resolutionMs[step.resolution];
  const startedAt = now();
  const progress = await repo.progress();
  const limit = alignDown(step.sourceDoneUntil(progress, now()), size);
  let done = progress[step.resolution];
  let written = 0;
  while (done + size <= limit && now() - startedAt < budgetMs) {
    // Jump over stretches with nothing to roll up (a fresh install, a long stop).
    const first = await step.firstSourceAt(repo, done);
    const skipTo = Math.min(first === null ? limit : alignDown(first, size), limit);
    if (skipTo > done) {
      if (!(await repo.advance(step.resolution, done, skipTo))) return written;
      done = skipTo;
      continue;
    }
    const from = done;
    const to = Math.min(from + size * step.bucketsPerTransaction, limit);
    try {
      written += await data.transaction(async (_repos, trx) => {
        const inTrx = new RollupRepository(trx);
        if (!(await inTrx.advance(step.resolution, from, to))) throw new ProgressMoved();
        const buckets = await step.compute(inTrx, from, to);
        await inTrx.replaceRange(step.resolution, from, to, buckets);
        return buckets.length;
      });
    } catch (err) {
      if (err instanceof ProgressMoved) return written;
      throw err;
    }
    done = to;
  }
  return written;
}
