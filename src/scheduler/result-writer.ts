// Check outcomes are buffered and written in batches: ONE transaction per batch inserts the
// results, updates the services' check columns and records state changes (events, incidents, and
// whatever listeners add, e.g. notification outbox rows). Services whose state does not change
// (the usual case) are updated together in one bulk statement; the others result by result with
// their transitions. Every row update is a compare-and-set on the state and `paused`, so a
// service paused, deleted or changed by someone else meanwhile is skipped, not overwritten.
import { FailureLog } from '../app/failure-log.js';
import type { CheckOutcome } from '../checks/types.js';
import type { StateTransitions } from '../catalog/state-transitions.js';
import { applyCheckResult, type ServiceState } from '../domain/service-state.js';
import type { Logger } from '../logger.js';
import type { MaintenanceCache } from '../maintenance/maintenance-cache.js';
import type { DataAccess } from '../store/data-access.js';
import type { Executor } from '../store/executor.js';
import type { NewCheckResult } from '../store/repositories/result-repository.js';
import type { Repositories } from '../store/repositories.js';
import { updateCheckColumns, type CheckColumns } from './bulk-update.js';

export interface CheckRecord {
  serviceId: string;
  /** When the check finished: the result's time. */
  at: number;
  outcome: CheckOutcome;
}

export interface WriterOptions {
  flushMs: number;
  maxBatch: number;
  /** Called after each committed batch (benchmarks and tests). */
  onBatch?: (info: { written: number; skipped: number }) => void;
}

interface ServiceAtFlush {
  id: string;
  projectId: string;
  namespaceId: string;
  path: string;
  name: string;
  state: ServiceState;
  consecutiveFailures: number;
  retries: number;
  upsideDown: boolean;
  hasOpenIncident: boolean;
}

/** Most buffered results kept while the database is unreachable; older ones are dropped. */
const maxBuffered = 50_000;
/**
 * Results written between two yields to the event loop. SQLite answers synchronously, so without
 * yielding a whole batch would run as one uninterrupted task and delay due checks meanwhile.
 */
const resultsPerSlice = 16;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ResultWriter {
  private buffer: CheckRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly failures: FailureLog;

  constructor(
    private readonly data: DataAccess,
    private readonly transitions: StateTransitions,
    private readonly maintenance: MaintenanceCache,
    logger: Logger,
    private readonly options: WriterOptions,
  ) {
    this.failures = new FailureLog(logger, 'writing check results');
  }

  add(record: CheckRecord): void {
    this.buffer.push(record);
    if (this.buffer.length >= this.options.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs);
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Writes everything buffered; resolves when it is committed (or failed and re-buffered). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const batch = this.buffer.splice(0, this.options.maxBatch);
    this.flushing = this.write(batch).finally(() => { this.flushing = undefined; });
    await this.flushing;
    if (this.buffer.length > 0) this.timer ??= setTimeout(() => void this.flush(), this.buffer.length >= this.options.maxBatch ? 0 : this.options.flushMs);
  }

  private async write(batch: CheckRecord[]): Promise<void> {
    try {
      await this.maintenance.refresh();
      const { written, skipped, changes } = await this.data.transaction((repos, trx) => this.writeBatch(batch, repos, trx));
      // Wakes this instance's dispatcher now rather than at its next poll.
      if (changes > 0) this.transitions.committed();
      this.options.onBatch?.({ written, skipped });
      this.failures.succeeded();
    } catch (err) {
      this.failures.failed(err, { results: batch.length, buffered: this.buffer.length + batch.length });
      this.buffer = [...batch, ...this.buffer].slice(-maxBuffered);
    }
  }

  private async writeBatch(batch: CheckRecord[], repos: Repositories, trx: Executor): Promise<{ written: number; skipped: number; changes: number }> {
    const services = await readServices(trx, [...new Set(batch.map((r) => r.serviceId))]);
    const results: NewCheckResult[] = [];
    const quiet: CheckColumns[] = [];
    const quietResults = new Map<string, NewCheckResult[]>();
    let sinceYield = 0;
    let changes = 0;
    // Services in id order, each one's results in time order: state moves through them in order,
    // and row locks are taken in a consistent order across concurrent batches.
    for (const [serviceId, records] of groupByService(batch)) {
      const service = services.get(serviceId);
      if (!service) continue;
      const steps = this.evaluate(service, records);
      if (steps.every((step) => step.next.state === service.state)) {
        // No state change (the usual case): one bulk UPDATE for all such services, below.
        const last = steps[steps.length - 1];
        quiet.push({
          id: service.id, expectedState: service.state, consecutiveFailures: last.next.consecutiveFailures,
          lastCheckedAt: last.record.at, lastLatencyMs: last.record.outcome.latencyMs, lastDetail: last.detail,
        });
        quietResults.set(service.id, steps.map(toResult));
        continue;
      }
      for (const step of steps) {
        if (++sinceYield % resultsPerSlice === 0) await yieldToEventLoop();
        if (!(await this.writeStateChange(service, step, repos, trx))) break;
        if (step.next.state !== step.from) changes += 1;
        results.push(toResult(step));
      }
    }
    const applied = await updateCheckColumns(trx, quiet);
    for (const [id, rows] of quietResults) if (applied.has(id)) results.push(...rows);
    await repos.results.insertMany(results);
    return { written: results.length, skipped: batch.length - results.length, changes };
  }

  /** Applies upside-down, maintenance and the state machine to a service's results, in order. */
  private evaluate(service: ServiceAtFlush, records: CheckRecord[]): Step[] {
    let state = service.state;
    let consecutiveFailures = service.consecutiveFailures;
    let hasOpenIncident = service.hasOpenIncident;
    return records.map((record) => {
      const up = service.upsideDown ? !record.outcome.up : record.outcome.up;
      const detail = service.upsideDown ? `upside down: ${record.outcome.detail}` : record.outcome.detail;
      const inMaintenance = this.maintenance.isInMaintenance(service, record.at);
      const next = applyCheckResult({ state, consecutiveFailures, hasOpenIncident, retries: service.retries, inMaintenance }, up);
      const step = { record, up, detail, from: state, next };
      state = next.state;
      consecutiveFailures = next.consecutiveFailures;
      if (next.openIncident) hasOpenIncident = true;
      if (next.resolveIncident) hasOpenIncident = false;
      return step;
    });
  }

  /** One result of a service whose state changes in this batch: row update and transition. */
  private async writeStateChange(service: ServiceAtFlush, step: Step, repos: Repositories, trx: Executor): Promise<boolean> {
    const { record, detail, from, next } = step;
    const changed = next.state !== from;
    const updated = await trx.updateTable('services').set({
      state: next.state, consecutive_failures: next.consecutiveFailures, last_checked_at: record.at,
      last_latency_ms: record.outcome.latencyMs, last_detail: detail,
      ...(changed && { state_changed_at: record.at }),
    }).where('id', '=', service.id).where('paused', '=', 0).where('kind', '=', 'check').where('state', '=', from).executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false; // paused, deleted or changed meanwhile
    if (changed) {
      await this.transitions.record({
        service: { ...service, kind: 'check' }, from, to: next.state, at: record.at, cause: detail,
        openIncident: next.openIncident, resolveIncident: next.resolveIncident,
      }, repos, trx);
    }
    return true;
  }
}

interface Step {
  record: CheckRecord;
  up: boolean;
  detail: string;
  from: ServiceState;
  next: ReturnType<typeof applyCheckResult>;
}

// Successful results carry no detail: it is the same sentence every time and the service row
// keeps the latest one.
function toResult(step: Step): NewCheckResult {
  return { serviceId: step.record.serviceId, at: step.record.at, up: step.up, latencyMs: step.record.outcome.latencyMs, detail: step.up ? null : step.detail };
}

function groupByService(batch: CheckRecord[]): Map<string, CheckRecord[]> {
  const sorted = [...batch].sort((a, b) => (a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : a.at - b.at));
  const out = new Map<string, CheckRecord[]>();
  for (const record of sorted) out.set(record.serviceId, [...(out.get(record.serviceId) ?? []), record]);
  return out;
}

async function readServices(trx: Executor, ids: string[]): Promise<Map<string, ServiceAtFlush>> {
  const out = new Map<string, ServiceAtFlush>();
  if (ids.length === 0) return out;
  const rows = await trx.selectFrom('services')
    .innerJoin('projects', 'projects.id', 'services.project_id')
    .innerJoin('namespaces', 'namespaces.id', 'services.namespace_id')
    .select(['services.id', 'services.project_id', 'services.namespace_id', 'services.name', 'services.slug', 'services.state',
      'services.consecutive_failures', 'services.retries', 'services.upside_down', 'services.paused', 'services.kind',
      'projects.slug as project_slug', 'namespaces.slug as namespace_slug'])
    .where('services.id', 'in', ids).execute();
  const open = await trx.selectFrom('incidents').select('service_id')
    .where('status', '=', 'open').where('service_id', 'in', ids).execute();
  const withIncident = new Set(open.map((r) => r.service_id));
  for (const r of rows) {
    if (Number(r.paused) !== 0 || r.kind !== 'check') continue;
    out.set(r.id, {
      id: r.id, projectId: r.project_id, namespaceId: r.namespace_id, name: r.name,
      path: `${r.namespace_slug}/${r.project_slug}/${r.slug}`, state: r.state as ServiceState,
      consecutiveFailures: Number(r.consecutive_failures), retries: Number(r.retries),
      upsideDown: Number(r.upside_down) === 1, hasOpenIncident: withIncident.has(r.id),
    });
  }
  return out;
}
