// Deletes check-ins older than TOCSIN_PING_RETENTION (default 30 days). At a check-in a minute,
// 1,000 heartbeats add 1.4 million pings a day; a service's state lives on its own row, so old
// pings are only history.
// Pings are deleted oldest first, by windows of ids (ids grow with arrival, so the oldest pings
// have the smallest ids): every statement touches at most one window, and a pass stops at its
// time budget, so a large backlog is worked off over several passes without a long transaction.
// Several instances may prune at once: they delete the same rows, which is harmless.
import type { Logger } from '../logger.js';
import type { Executor } from '../store/executor.js';

export interface PingPrunerOptions {
  retentionMs: number;
  everyMs: number;
  budgetMs: number;
  /** Ids looked at per statement. */
  window: number;
}

export const defaultPingPruning = { everyMs: 600_000, budgetMs: 5000, window: 5000 };

/** One pass: deletes pings older than `cutoff`, within the budget. Returns how many it deleted. */
export async function prunePings(db: Executor, cutoff: number, now: () => number, options: { budgetMs: number; window: number }): Promise<number> {
  const startedAt = now();
  let deleted = 0;
  while (now() - startedAt < options.budgetMs) {
    const oldest = await db.selectFrom('heartbeat_pings').select(['id', 'at']).orderBy('id').limit(1).executeTakeFirst();
    if (!oldest || Number(oldest.at) >= cutoff) break;
    const first = Number(oldest.id);
    const result = await db.deleteFrom('heartbeat_pings')
      .where('id', '>=', first).where('id', '<', first + options.window).where('at', '<', cutoff)
      .executeTakeFirst();
    // At least the oldest ping, unless another instance deleted it first (then look again).
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}

/** One pass of the periodic job (heartbeat-feature.ts): a failure is thrown to the job, which logs it and tries again. */
export async function pruneOldPings(db: Executor, logger: Logger, now: () => number, options: PingPrunerOptions): Promise<void> {
  const deleted = await prunePings(db, now() - options.retentionMs, now, options);
  if (deleted > 0) logger.debug({ deleted }, 'pruned old check-ins');
}
