// Moves heartbeats to late and down on time. Every `intervalMs` it claims the services whose
// next_deadline has passed (an index range scan, never a scan of all services), re-evaluates each
// from its schedule and last check-in, and records the state changes of a batch together in the
// same transaction. Off SQLite the claimed rows are locked with SKIP LOCKED and their deadline
// moves on commit, so with several instances on one database each change happens exactly once.
// After each sweep it also looks up the earliest deadline to come and, when that is sooner than
// the next tick, wakes up at that instant: deadlines are met on time rather than up to a tick
// late. That timer is only a hint; what is due is always read from the database.
import type { AppContext } from '../app/context.js';
import { FailureLog } from '../app/failure-log.js';
import type { TransitionInput } from '../catalog/state-transitions.js';
import { retryOnDeadlock } from '../store/retry-on-deadlock.js';
import { earliestDeadline, writeSwept, type SweptHeartbeat } from './deadline-queries.js';
import type { HeartbeatRepository } from './heartbeat-repository.js';
import { evaluate } from './schedule.js';

/**
 * Services per transaction. SQLite runs a transaction on this thread without a break: small
 * batches keep check-ins and deliveries flowing. PostgreSQL and MySQL pay a round trip per
 * statement instead (about ten per batch, whatever its size): bigger batches finish sooner.
 */
const batchSizes = { sqlite: 100, postgres: 500, mysql: 500 } as const;

export class DeadlineSweeper {
  private timer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private sweepAgain = false;
  private readonly failures: FailureLog;

  constructor(private readonly ctx: AppContext, private readonly repo: HeartbeatRepository, private readonly intervalMs = 250) {
    // Sweeps come several times a second: while the database is down, one line per 10 s is enough.
    this.failures = new FailureLog(ctx.logger, 'heartbeat deadline sweep');
  }

  /** Sweeps at once (what fell due while no instance ran), then every tick. */
  start(): void {
    this.timer = setInterval(() => this.trigger(), this.intervalMs);
    this.trigger();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.timer = null;
    this.wakeTimer = null;
    await this.running;
  }

  /** Sweeps now, or right after the sweep in progress (a deadline may have come during it). */
  private trigger(): void {
    if (this.running) {
      this.sweepAgain = true;
      return;
    }
    this.running = this.sweep().finally(() => {
      this.running = null;
      if (this.sweepAgain && this.timer) {
        this.sweepAgain = false;
        this.trigger();
      }
    });
  }

  /** Handles every overdue service; returns how many changed state. */
  async sweep(): Promise<number> {
    let changed = 0;
    try {
      for (;;) {
        const { claimed, transitions } = await this.sweepBatch();
        if (transitions > 0) this.ctx.transitions.committed();
        changed += transitions;
        if (claimed < this.batchSize) break;
        // Let other work (delivering the alerts just committed, answering check-ins) run between
        // batches: on SQLite every query runs on this thread.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await this.planWake();
      this.failures.succeeded();
    } catch (err) {
      this.failures.failed(err);
    }
    return changed;
  }

  /** Wakes up at the earliest deadline when it comes before the next tick. */
  private async planWake(): Promise<void> {
    if (!this.timer) return;
    const deadline = await earliestDeadline(this.ctx.data.db);
    const untilDeadline = deadline === null ? Infinity : deadline - this.ctx.now();
    // A deadline already past came during this sweep, or another instance holds its row: look
    // again shortly rather than at the next tick.
    const delay = untilDeadline > 0 ? untilDeadline : 50;
    if (!(delay < this.intervalMs) || !this.timer) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.trigger();
    }, delay);
  }

  private get batchSize(): number {
    return batchSizes[this.ctx.data.dialect];
  }

  /**
   * One transaction: claim, evaluate, record, write. A deadlock with another instance's sweep
   * rolls all of it back (its claims too), so it is run again at once rather than leaving the
   * rows it had claimed for the next tick.
   */
  private sweepBatch(): Promise<{ claimed: number; transitions: number }> {
    return retryOnDeadlock(() => this.sweepBatchOnce());
  }

  private sweepBatchOnce(): Promise<{ claimed: number; transitions: number }> {
    const now = this.ctx.now();
    return this.ctx.data.transaction(async (repos, trx) => {
      const due = await this.repo.claimDue(trx, now, this.batchSize);
      const transitions: TransitionInput[] = [];
      const swept: SweptHeartbeat[] = [];
      for (const row of due) {
        const result = evaluate(row.config, row, now);
        const changes = result.state !== row.state;
        if (changes) {
          transitions.push({
            service: row.ref, from: row.state, to: result.state, at: now, cause: result.cause,
            openIncident: result.state === 'down',
          });
        }
        swept.push({
          id: row.ref.id, nextDeadline: result.nextDeadline, clearRun: result.state === 'down',
          ...(changes && { state: result.state, stateChangedAt: now }),
        });
      }
      await this.ctx.transitions.recordMany(transitions, repos, trx);
      await writeSwept(trx, swept);
      return { claimed: due.length, transitions: transitions.length };
    });
  }
}
