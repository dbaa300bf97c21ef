// Background jobs (moving the check-in inbox, sweeping deadlines, polling the outbox, refreshing
// maintenance windows…) run every second or faster. While the database is away each pass fails,
// and one error line per pass would bury everything else in the log. A FailureLog writes the first
// failure at once, then at most one line per `everyMs` saying how many failures it stood for, and
// one info line when the job works again, so the log shows when an outage began and ended.
import type { Logger } from '../logger.js';
import { LogThrottle } from './log-throttle.js';

export class FailureLog {
  private throttle: LogThrottle;
  private failuresInARow = 0;

  /** `job` names the work in a sentence: "moving new check-ins into their history". */
  constructor(
    private readonly logger: Logger,
    private readonly job: string,
    private readonly everyMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.throttle = new LogThrottle(everyMs, now);
  }

  failed(err: unknown, fields: Record<string, unknown> = {}): void {
    this.failuresInARow += 1;
    this.throttle.report((notLogged) => this.logger.error({ ...fields, err, failuresInARow: this.failuresInARow, notLogged }, `${this.job} failed; will retry`));
  }

  succeeded(): void {
    if (this.failuresInARow === 0) return;
    this.logger.info({ failuresInARow: this.failuresInARow }, `${this.job} works again`);
    this.failuresInARow = 0;
    // The next outage's first failure is written at once, however soon it comes.
    this.throttle = new LogThrottle(this.everyMs, this.now);
  }

  /** Runs `task`, reporting its outcome; a failure is logged here and not thrown. */
  async run(task: () => Promise<unknown>): Promise<void> {
    try {
      await task();
      this.succeeded();
    } catch (err) {
      this.failed(err);
    }
  }
}
