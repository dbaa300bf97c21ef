// WHEN checks run: the services this instance schedules, their due times in a min-heap with a
// single timer, and their execution under a bounded semaphore. Starts never wait for I/O: a due
// check takes a slot, runs with its own timeout, and its outcome goes to the batch writer.
// Which services belong here is decided by the Scheduler (leases and change tracking).
import type { Logger } from '../logger.js';
import { DueQueue } from './due-queue.js';
import { firstDue } from './first-due.js';
import type { ResultWriter } from './result-writer.js';
import { runCheck } from './run-check.js';
import type { ScheduledService } from './scheduled-service.js';
import { Semaphore } from './semaphore.js';

export interface RunLoopOptions {
  maxConcurrency: number;
  spreadMs: number;
  onCheckStart?: (serviceId: string, dueAt: number, startedAt: number) => void;
}

interface Entry {
  service: ScheduledService;
  version: number;
  /** Local view of consecutive failures: picks the retry interval before the batch is written. */
  failures: number;
  lastCheckedAt: number | null;
  /** The due time of the last start and the interval its successor was scheduled with. */
  lastDue: number;
  scheduledInterval: number;
  running: boolean;
}

export class RunLoop {
  private readonly entries = new Map<string, Entry>();
  private readonly queue = new DueQueue();
  private readonly semaphore: Semaphore;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private nextVersion = 1;
  private stopped = false;

  constructor(private readonly writer: ResultWriter, private readonly logger: Logger, private readonly now: () => number, private readonly options: RunLoopOptions) {
    this.semaphore = new Semaphore(options.maxConcurrency);
  }

  get size(): number {
    return this.entries.size;
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  versionOf(serviceId: string): number | undefined {
    return this.entries.get(serviceId)?.service.updatedAt;
  }

  shardOf(serviceId: string): number | undefined {
    return this.entries.get(serviceId)?.service.shard;
  }

  /** Adds a runnable service or updates its definition (rescheduling when its timing changed). */
  upsert(service: ScheduledService): void {
    if (this.stopped) return;
    const existing = this.entries.get(service.id);
    if (existing) {
      if (existing.service.updatedAt === service.updatedAt) return;
      const timingChanged = existing.service.intervalMs !== service.intervalMs || existing.service.retryIntervalMs !== service.retryIntervalMs;
      existing.service = service;
      if (timingChanged) this.schedule(existing, firstDue({ id: service.id, lastCheckedAt: existing.lastCheckedAt }, this.intervalOf(existing), this.now(), this.options.spreadMs));
      return;
    }
    const entry: Entry = {
      service, version: 0, failures: service.consecutiveFailures, lastCheckedAt: service.lastCheckedAt,
      lastDue: 0, scheduledInterval: 0, running: false,
    };
    this.entries.set(service.id, entry);
    this.schedule(entry, firstDue(service, this.intervalOf(entry), this.now(), this.options.spreadMs));
  }

  remove(serviceId: string): void {
    this.entries.delete(serviceId); // its heap entries become stale and are skipped
  }

  clear(): void {
    this.entries.clear();
  }

  /** Stops starting checks and waits for those in flight (bounded by their timeouts). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all([...this.inFlight]);
    this.entries.clear();
    this.queue.clear();
  }

  /** While failures are tolerated (state pending) the retry interval applies. */
  private intervalOf(entry: Entry): number {
    const pending = entry.failures > 0 && entry.failures <= entry.service.retries;
    return pending ? entry.service.retryIntervalMs : entry.service.intervalMs;
  }

  private schedule(entry: Entry, due: number): void {
    entry.version = this.nextVersion++;
    this.queue.push({ due, serviceId: entry.service.id, version: entry.version });
    if (due < this.timerAt) this.arm();
  }

  private arm(): void {
    let top = this.queue.peek();
    while (top && this.entries.get(top.serviceId)?.version !== top.version) {
      this.queue.pop();
      top = this.queue.peek();
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    if (!top || this.stopped) return;
    this.timerAt = top.due;
    this.timer = setTimeout(() => this.fire(), Math.max(0, top.due - this.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.now();
    // Timers may fire a hair early; 2 ms of tolerance avoids a second wake-up for nothing.
    for (let top = this.queue.peek(); top && top.due <= now + 2; top = this.queue.peek()) {
      this.queue.pop();
      const entry = this.entries.get(top.serviceId);
      if (entry && entry.version === top.version) this.launch(entry, top.due, now);
    }
    this.arm();
  }

  private launch(entry: Entry, due: number, now: number): void {
    const interval = this.intervalOf(entry);
    let next = due + interval;
    while (next <= now) next += interval; // fell behind (a long pause): skip, never burst
    entry.lastDue = due;
    entry.scheduledInterval = interval;
    this.schedule(entry, next);
    if (entry.running) return; // the previous run is still going: this one is skipped
    entry.running = true;
    const run = this.execute(entry, due).finally(() => {
      entry.running = false;
      this.inFlight.delete(run);
    });
    this.inFlight.add(run);
  }

  private async execute(entry: Entry, due: number): Promise<void> {
    await this.semaphore.acquire();
    try {
      if (this.stopped || this.entries.get(entry.service.id) !== entry) return;
      const service = entry.service;
      this.options.onCheckStart?.(service.id, due, this.now());
      const outcome = await runCheck(service.checkType, service.config, service.timeoutMs);
      const at = this.now();
      this.writer.add({ serviceId: service.id, at, outcome });
      const up = service.upsideDown ? !outcome.up : outcome.up;
      entry.failures = up ? 0 : entry.failures + 1;
      entry.lastCheckedAt = at;
      this.rescheduleIfIntervalChanged(entry);
    } catch (err) {
      this.logger.error({ err, serviceId: entry.service.id }, 'check could not run');
    } finally {
      this.semaphore.release();
    }
  }

  /** Entering or leaving `pending` switches between interval and retry interval at once. */
  private rescheduleIfIntervalChanged(entry: Entry): void {
    const interval = this.intervalOf(entry);
    if (interval === entry.scheduledInterval || this.entries.get(entry.service.id) !== entry || this.stopped) return;
    entry.scheduledInterval = interval;
    this.schedule(entry, Math.max(entry.lastDue + interval, this.now()));
  }
}
