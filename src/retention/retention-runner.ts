// Runs the roll-up steps and pruning in the background. Each job is claimed through a lease in
// retention_jobs so that, with several instances, one does the work and the others skip it
// (correctness does not depend on the lease: see rollup-steps.ts).
import { FailureLog } from '../app/failure-log.js';
import { PeriodicJob } from '../app/periodic-job.js';
import type { Logger } from '../logger.js';
import type { DataAccess } from '../store/data-access.js';
import { prune, type RetentionPeriods } from './prune.js';
import { RollupRepository } from './rollup-repository.js';
import { rollupSteps, runRollupStep, type RollupStep } from './rollup-steps.js';

export interface RetentionOptions {
  instanceId: string;
  periods: RetentionPeriods;
  /** How often the jobs run. */
  tickMs: number;
  /** Time allowed per job per tick: a backlog is worked off over several ticks. */
  budgetMs: number;
  /** Wait after a minute ends before rolling it up, so late result batches land first. */
  settleMs: number;
}

export const defaultRetentionTiming = { tickMs: 30_000, budgetMs: 5000, settleMs: 120_000 };

export class RetentionRunner {
  private readonly job: PeriodicJob;
  private readonly steps: Array<{ step: RollupStep; failures: FailureLog }>;
  private readonly pruneFailures: FailureLog;

  constructor(private readonly data: DataAccess, private readonly logger: Logger, private readonly now: () => number, private readonly options: RetentionOptions) {
    this.steps = rollupSteps(options.settleMs).map((step) => ({ step, failures: new FailureLog(logger, `the ${step.resolution} roll-up`) }));
    this.pruneFailures = new FailureLog(logger, 'pruning old results and roll-ups');
    // runOnce() reports each step's failures itself; this log only sees what escapes it.
    this.job = new PeriodicJob(options.tickMs, () => this.runOnce(), new FailureLog(logger, 'retention'));
  }

  start(): void {
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** One pass of every job (what each tick does); errors are logged, never thrown. */
  async runOnce(): Promise<void> {
    const repo = new RollupRepository(this.data.db);
    const leaseMs = this.options.budgetMs * 3;
    for (const { step, failures } of this.steps) {
      await failures.run(async () => {
        if (!(await repo.claim(step.resolution, this.options.instanceId, this.now(), leaseMs))) return;
        await runRollupStep(this.data, step, this.now, this.options.budgetMs);
      });
    }
    await this.pruneFailures.run(async () => {
      if (!(await repo.claim('prune', this.options.instanceId, this.now(), leaseMs))) return;
      const pruned = await prune(this.data.db, this.options.periods, this.now, this.options.budgetMs);
      if (pruned.results + pruned.buckets > 0) this.logger.debug(pruned, 'pruned old results and roll-ups');
    });
  }

}
