// Moves heartbeats to late and down on time. Every `intervalMs` it claims the services whose
// next_deadline has passed (an index range scan, never a scan of all services), re-evaluates each
// from its schedule and last check-in, and records any state change in the same transaction.
// Off SQLite the claimed rows are locked with SKIP LOCKED and their deadline moves on commit, so
// with several instances on one database each change happens exactly once.
import type { AppContext } from '../app/context.js';
import type { HeartbeatRepository } from './heartbeat-repository.js';
import { evaluate } from './schedule.js';

const batchSize = 100;

export class DeadlineSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly ctx: AppContext, private readonly repo: HeartbeatRepository, private readonly intervalMs = 250) {}

  start(): void {
    this.timer = setInterval(() => { this.running ??= this.sweep().finally(() => { this.running = null; }); }, this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Handles every overdue service; returns how many changed state. */
  async sweep(): Promise<number> {
    let changed = 0;
    try {
      for (;;) {
        const { claimed, transitions } = await this.sweepBatch();
        changed += transitions;
        if (claimed < batchSize) return changed;
        // Let other work (delivering the alerts just committed, answering check-ins) run between
        // batches: on SQLite every query runs on this thread.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (err) {
      this.ctx.logger.error({ err }, 'heartbeat deadline sweep failed; retrying on the next tick');
      return changed;
    }
  }

  private sweepBatch(): Promise<{ claimed: number; transitions: number }> {
    const now = this.ctx.now();
    return this.ctx.data.transaction(async (repos, trx) => {
      const due = await this.repo.claimDue(trx, now, batchSize);
      let transitions = 0;
      for (const row of due) {
        const result = evaluate(row.config, row, now);
        if (result.state !== row.state) {
          await this.ctx.transitions.record({
            service: row.ref, from: row.state, to: result.state, at: now, cause: result.cause,
            openIncident: result.state === 'down',
          }, repos, trx);
          transitions += 1;
        }
        await this.repo.update(trx, row.ref.id, {
          ...(result.state !== row.state && { state: result.state, state_changed_at: now }),
          ...(result.state === 'down' && { run_started_at: null }),
          next_deadline: result.nextDeadline,
        });
      }
      return { claimed: due.length, transitions };
    });
  }
}
