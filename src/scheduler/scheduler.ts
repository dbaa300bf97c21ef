// The active-check scheduler of one instance. It holds leases on shards of services (see
// shard-leases.ts), keeps the runnable checks of those shards in memory, and starts each one at
// its due time from a min-heap with a single timer. Starts never wait for I/O: a due check takes
// a slot of a bounded semaphore, runs with its own timeout, and its outcome goes to a buffered
// batch writer. Definitions change under it through three paths: in-process catalog events
// (instant), a poll of services.updated_at (other instances, ~1 s) and a periodic reconciliation
// of ids (deletions, missed polls).
import type { CatalogEvents } from '../catalog/catalog-events.js';
import type { StateTransitions } from '../catalog/state-transitions.js';
import type { Logger } from '../logger.js';
import type { MaintenanceCache } from '../maintenance/maintenance-cache.js';
import type { DataAccess } from '../store/data-access.js';
import { DueQueue } from './due-queue.js';
import { firstDue } from './first-due.js';
import { ResultWriter, type WriterOptions } from './result-writer.js';
import { runCheck } from './run-check.js';
import { listChangedSince, listRunnableVersions, loadByIds, loadRunnable, type ScheduledService } from './scheduled-service.js';
import { Semaphore } from './semaphore.js';
import { ShardLeases } from './shard-leases.js';
import { shardOf } from './shards.js';

export interface SchedulerOptions {
  instanceId: string;
  /** Checks in flight at most. */
  maxConcurrency: number;
  leaseTtlMs: number;
  leaseRenewMs: number;
  /** How often services.updated_at is polled for changes made elsewhere. */
  pollMs: number;
  /** How often the full id list is compared (deletions by other instances). */
  reconcileMs: number;
  /** Overdue and never-checked services start within min(interval, spreadMs). */
  spreadMs: number;
  flushMs: number;
  maxBatch: number;
  /** Optional probe: called as each check actually starts (benchmarks measure lag with it). */
  onCheckStart?: (serviceId: string, dueAt: number, startedAt: number) => void;
  onBatch?: WriterOptions['onBatch'];
}

export const defaultSchedulerOptions: Omit<SchedulerOptions, 'instanceId'> = {
  maxConcurrency: 200, leaseTtlMs: 10_000, leaseRenewMs: 2000, pollMs: 1000, reconcileMs: 30_000,
  spreadMs: 60_000, flushMs: 250, maxBatch: 500,
};

export interface SchedulerDeps {
  data: DataAccess;
  transitions: StateTransitions;
  catalogEvents: CatalogEvents;
  maintenance: MaintenanceCache;
  logger: Logger;
  now: () => number;
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

/** Overlap when polling updated_at: tolerates commit delays and small clock differences. */
const pollOverlapMs = 5000;

export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly queue = new DueQueue();
  private readonly semaphore: Semaphore;
  private readonly writer: ResultWriter;
  private readonly leases: ShardLeases;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly periodic: NodeJS.Timeout[] = [];
  private readonly background = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private nextVersion = 1;
  private pollCursor = 0;
  /** Versions seen by recent polls (within the overlap), so a row is loaded once per change. */
  private readonly seenVersions = new Map<string, number>();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps, private readonly options: SchedulerOptions) {
    this.semaphore = new Semaphore(options.maxConcurrency);
    this.writer = new ResultWriter(deps.data, deps.transitions, deps.maintenance, deps.logger, options);
    this.leases = new ShardLeases(deps.data.db, options.instanceId, deps.now, { ttlMs: options.leaseTtlMs });
  }

  /** Services scheduled by this instance right now. */
  get scheduledCount(): number {
    return this.entries.size;
  }

  get ownedShards(): ReadonlySet<number> {
    return this.leases.owned;
  }

  async start(): Promise<void> {
    this.pollCursor = this.deps.now();
    await this.deps.maintenance.refresh(true);
    if (this.deps.data.dialect === 'sqlite') await this.leases.takeOverAbandoned();
    await this.renewLeases();
    this.unsubscribe = this.deps.catalogEvents.subscribe((change) => {
      if (change.kind === 'service-deleted') this.remove(change.serviceId);
      else this.inBackground('catalog change', () => this.reload([change.serviceId]));
    });
    this.every(this.options.leaseRenewMs, 'lease renewal', () => this.renewLeases());
    this.every(this.options.pollMs, 'change poll', () => this.pollChanges());
    this.every(this.options.reconcileMs, 'reconciliation', () => this.reconcile());
  }

  /** Stops starting checks, waits for those in flight (bounded by their timeouts), writes the last batch, gives the shards back. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    for (const t of this.periodic) clearInterval(t);
    clearTimeout(this.timer);
    await Promise.all([...this.background]);
    await Promise.all([...this.inFlight]);
    await this.writer.flush();
    await this.leases.releaseAll();
    this.entries.clear();
    this.queue.clear();
  }

  private every(ms: number, what: string, task: () => Promise<void>): void {
    let busy = false;
    this.periodic.push(setInterval(() => {
      if (busy || this.stopped) return;
      busy = true;
      this.inBackground(what, task).finally(() => { busy = false; });
    }, ms));
  }

  private inBackground(what: string, task: () => Promise<void>): Promise<void> {
    const p = task().catch((err: unknown) => this.deps.logger.error({ err }, `scheduler ${what} failed`));
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
    return p;
  }

  private async renewLeases(): Promise<void> {
    const before = new Set(this.leases.owned);
    const after = await this.leases.tick();
    for (const entry of [...this.entries.values()]) if (!after.has(entry.service.shard)) this.remove(entry.service.id);
    const gained = new Set([...after].filter((s) => !before.has(s)));
    if (gained.size === 0 || this.stopped) return;
    for (const service of await loadRunnable(this.deps.data.db, gained)) this.upsert(service);
    this.deps.logger.info({ gained: gained.size, held: after.size, services: this.entries.size }, 'scheduler took shards');
  }

  /** Reads versions only; full rows are loaded just for services that changed since last seen. */
  private async pollChanges(): Promise<void> {
    const versions = await listChangedSince(this.deps.data.db, this.pollCursor - pollOverlapMs);
    const changed: string[] = [];
    for (const [id, updatedAt] of versions) {
      this.pollCursor = Math.max(this.pollCursor, updatedAt);
      const entry = this.entries.get(id);
      if (entry ? entry.service.updatedAt !== updatedAt : this.leases.owned.has(shardOf(id)) && this.seenVersions.get(id) !== updatedAt) changed.push(id);
      this.seenVersions.set(id, updatedAt);
    }
    if (changed.length > 0) await this.reload(changed);
    for (const [id, updatedAt] of this.seenVersions) if (updatedAt < this.pollCursor - 2 * pollOverlapMs) this.seenVersions.delete(id);
  }

  private async reconcile(): Promise<void> {
    const versions = await listRunnableVersions(this.deps.data.db);
    for (const id of [...this.entries.keys()]) if (!versions.has(id)) this.remove(id);
    const stale = [...versions].filter(([id, v]) => this.leases.owned.has(shardOf(id)) && this.entries.get(id)?.service.updatedAt !== v);
    if (stale.length > 0) await this.reload(stale.map(([id]) => id));
  }

  private async reload(ids: string[]): Promise<void> {
    const found = await loadByIds(this.deps.data.db, ids);
    for (const service of found) this.upsert(service);
    const seen = new Set(found.map((s) => s.id));
    for (const id of ids) if (!seen.has(id)) this.remove(id);
  }

  /** Adds, updates or drops a service from a freshly read row. */
  private upsert(service: ScheduledService): void {
    if (this.stopped) return;
    if (!service.runnable || !this.leases.owned.has(service.shard)) {
      this.remove(service.id);
      return;
    }
    const existing = this.entries.get(service.id);
    if (existing) {
      if (existing.service.updatedAt === service.updatedAt) return;
      const timingChanged = existing.service.intervalMs !== service.intervalMs || existing.service.retryIntervalMs !== service.retryIntervalMs;
      existing.service = service;
      if (timingChanged) this.schedule(existing, firstDue({ ...service, lastCheckedAt: existing.lastCheckedAt }, this.intervalOf(existing), this.deps.now(), this.options.spreadMs));
      return;
    }
    const entry: Entry = {
      service, version: 0, failures: service.consecutiveFailures, lastCheckedAt: service.lastCheckedAt,
      lastDue: 0, scheduledInterval: 0, running: false,
    };
    this.entries.set(service.id, entry);
    this.schedule(entry, firstDue(service, this.intervalOf(entry), this.deps.now(), this.options.spreadMs));
  }

  private remove(serviceId: string): void {
    this.entries.delete(serviceId); // its heap entries become stale and are skipped
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
    this.timer = setTimeout(() => this.fire(), Math.max(0, top.due - this.deps.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.deps.now();
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
      this.options.onCheckStart?.(service.id, due, this.deps.now());
      const outcome = await runCheck(service.checkType, service.config, service.timeoutMs);
      const at = this.deps.now();
      this.writer.add({ serviceId: service.id, at, outcome });
      const up = service.upsideDown ? !outcome.up : outcome.up;
      entry.failures = up ? 0 : entry.failures + 1;
      entry.lastCheckedAt = at;
      this.rescheduleIfIntervalChanged(entry);
    } catch (err) {
      this.deps.logger.error({ err, serviceId: entry.service.id }, 'check could not run');
    } finally {
      this.semaphore.release();
    }
  }

  /** Entering or leaving `pending` switches between interval and retry interval at once. */
  private rescheduleIfIntervalChanged(entry: Entry): void {
    const interval = this.intervalOf(entry);
    if (interval === entry.scheduledInterval || this.entries.get(entry.service.id) !== entry || this.stopped) return;
    entry.scheduledInterval = interval;
    this.schedule(entry, Math.max(entry.lastDue + interval, this.deps.now()));
  }
}
