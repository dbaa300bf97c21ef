// Runs a background job every `everyMs`, never two runs of it at once (a run that outlasts the
// period makes the next tick a no-op). A failed run is reported to its FailureLog and the next
// tick tries again. The timer never keeps the process alive; stop() waits for a run in progress,
// so shutting down never cuts one in half.
import type { FailureLog } from './failure-log.js';

export class PeriodicJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly everyMs: number, private readonly run: () => Promise<unknown>, private readonly failures: FailureLog) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.failures.run(this.run).finally(() => { this.running = undefined; });
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
