// The active-check scheduler of one instance: WHICH services it runs. It holds leases on shards
// of services (shard-leases.ts) and keeps the run loop (run-loop.ts: when and how checks run)
// filled with the runnable checks of those shards. Definitions change under it through three
// paths: in-process catalog events (instant), a poll of services.updated_at (changes made through
// other instances, ~1 s) and a periodic reconciliation of ids and versions (deletions, misses).
import { FailureLog } from '../app/failure-log.js';
import type { CatalogEvents } from '../catalog/catalog-events.js';
import type { StateTransitions } from '../catalog/state-transitions.js';
import type { Logger } from '../logger.js';
import type { MaintenanceCache } from '../maintenance/maintenance-cache.js';
import type { DataAccess } from '../store/data-access.js';
import { ResultWriter, type WriterOptions } from './result-writer.js';
import { RunLoop } from './run-loop.js';
import { listChangedSince, listRunnableVersions, loadByIds, loadRunnable, type ScheduledService } from './scheduled-service.js';
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

/** Overlap when polling updated_at: tolerates commit delays and small clock differences. */
const pollOverlapMs = 5000;

export class Scheduler {
  private readonly writer: ResultWriter;
  private readonly leases: ShardLeases;
  private readonly loop: RunLoop;
  private readonly periodic: NodeJS.Timeout[] = [];
  private readonly background = new Set<Promise<void>>();
  private pollCursor = 0;
  /** Versions seen by recent polls (within the overlap), so a row is loaded once per change. */
  private readonly seenVersions = new Map<string, number>();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps, private readonly options: SchedulerOptions) {
    this.writer = new ResultWriter(deps.data, deps.transitions, deps.maintenance, deps.logger, options);
    this.leases = new ShardLeases(deps.data.db, options.instanceId, deps.now, { ttlMs: options.leaseTtlMs });
    this.loop = new RunLoop(this.writer, deps.logger, deps.now, options);
  }

  /** Services scheduled by this instance right now. */
  get scheduledCount(): number {
    return this.loop.size;
  }

  get ownedShards(): ReadonlySet<number> {
    return this.leases.owned;
  }

  async start(): Promise<void> {
    this.pollCursor = this.deps.now();
    await this.deps.maintenance.refresh(true);
    if (this.deps.data.dialect === 'sqlite') await this.leases.takeOverAbandoned();
    await this.renewLeases();
    const reloadFailures = this.failureLog('loading a changed service');
    this.unsubscribe = this.deps.catalogEvents.subscribe((change) => {
      if (change.kind === 'service-deleted') this.loop.remove(change.serviceId);
      else this.inBackground(reloadFailures, () => this.reload([change.serviceId]));
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
    await Promise.all([...this.background]);
    await this.loop.stop();
    await this.writer.flush();
    try {
      await this.leases.releaseAll();
    } catch (err) {
      // Unreleased leases simply expire; other instances then take the shards over.
      this.deps.logger.error({ err }, 'could not release scheduler leases');
    }
  }

  private every(ms: number, what: string, task: () => Promise<void>): void {
    const failures = this.failureLog(what);
    let busy = false;
    this.periodic.push(setInterval(() => {
      if (busy || this.stopped) return;
      busy = true;
      this.inBackground(failures, task).finally(() => { busy = false; });
    }, ms));
  }

  private failureLog(what: string): FailureLog {
    return new FailureLog(this.deps.logger, `scheduler ${what}`);
  }

  private inBackground(failures: FailureLog, task: () => Promise<void>): Promise<void> {
    const p = failures.run(task);
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
    return p;
  }

  private async renewLeases(): Promise<void> {
    const before = new Set(this.leases.owned);
    let after: ReadonlySet<number>;
    try {
      after = await this.leases.tick();
    } catch (err) {
      if (this.leases.dropIfExpired()) {
        this.loop.clear();
        this.deps.logger.error('scheduler leases expired while the database was unreachable; stopped scheduling until renewed');
      }
      throw err;
    }
    for (const id of this.loop.ids()) if (!after.has(this.loop.shardOf(id)!)) this.loop.remove(id);
    const gained = new Set([...after].filter((s) => !before.has(s)));
    if (gained.size === 0 || this.stopped) return;
    for (const service of await loadRunnable(this.deps.data.db, gained)) this.upsert(service);
    this.deps.logger.info({ gained: gained.size, held: after.size, services: this.loop.size }, 'scheduler took shards');
  }

  /**
   * Reads versions only; full rows are loaded just for services that changed since last seen.
   * The cursor is this instance's clock at the previous poll, minus an overlap that tolerates
   * commit delays and clocks a few seconds apart (the reconciliation catches anything beyond).
   */
  private async pollChanges(): Promise<void> {
    const startedAt = this.deps.now();
    const versions = await listChangedSince(this.deps.data.db, this.pollCursor - pollOverlapMs);
    const changed: string[] = [];
    for (const [id, updatedAt] of versions) {
      const known = this.loop.versionOf(id);
      if (known !== undefined ? known !== updatedAt : this.leases.owned.has(shardOf(id)) && this.seenVersions.get(id) !== updatedAt) changed.push(id);
      this.seenVersions.set(id, updatedAt);
    }
    if (changed.length > 0) await this.reload(changed);
    this.pollCursor = startedAt;
    for (const [id, updatedAt] of this.seenVersions) if (updatedAt < startedAt - 2 * pollOverlapMs) this.seenVersions.delete(id);
  }

  private async reconcile(): Promise<void> {
    const versions = await listRunnableVersions(this.deps.data.db);
    for (const id of this.loop.ids()) if (!versions.has(id)) this.loop.remove(id);
    const stale = [...versions].filter(([id, v]) => this.leases.owned.has(shardOf(id)) && this.loop.versionOf(id) !== v);
    if (stale.length > 0) await this.reload(stale.map(([id]) => id));
  }

  private async reload(ids: string[]): Promise<void> {
    const found = await loadByIds(this.deps.data.db, ids);
    for (const service of found) this.upsert(service);
    const seen = new Set(found.map((s) => s.id));
    for (const id of ids) if (!seen.has(id)) this.loop.remove(id);
  }

  /** Hands a freshly read row to the run loop, or drops it when it must not run here. */
  private upsert(service: ScheduledService): void {
    if (this.stopped) return;
    if (service.runnable && this.leases.owned.has(service.shard)) this.loop.upsert(service);
    else this.loop.remove(service.id);
  }
}
