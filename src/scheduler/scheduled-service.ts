// What the scheduler keeps in memory about each active check: only the columns it needs, read
// without joins so that loading 10,000 services stays cheap. The state machine's inputs (state,
// path, incidents) are read fresh by the result writer, never kept here.
import { fromJson, type Executor } from '../store/executor.js';
import { shardOf } from './shards.js';

export interface ScheduledService {
  id: string;
  shard: number;
  /** False when the row is paused, deleted-soon or not an active check: it must not run. */
  runnable: boolean;
  checkType: string | null;
  config: Record<string, unknown>;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  retryIntervalMs: number;
  upsideDown: boolean;
  /** Picks interval or retry interval for the first run; the run loop counts on from there. */
  consecutiveFailures: number;
  lastCheckedAt: number | null;
  updatedAt: number;
}

const columns = [
  'id', 'kind', 'paused', 'check_type', 'config', 'interval_ms', 'timeout_ms', 'retries',
  'retry_interval_ms', 'upside_down', 'consecutive_failures', 'last_checked_at', 'updated_at',
] as const;

type Row = { [K in (typeof columns)[number]]: unknown };

function toScheduled(r: Row): ScheduledService {
  const id = r.id as string;
  return {
    id, shard: shardOf(id),
    runnable: r.kind === 'check' && Number(r.paused) === 0,
    checkType: r.check_type as string | null, config: fromJson(r.config as string, {}),
    intervalMs: Number(r.interval_ms), timeoutMs: Number(r.timeout_ms), retries: Number(r.retries),
    retryIntervalMs: Number(r.retry_interval_ms), upsideDown: Number(r.upside_down) === 1,
    consecutiveFailures: Number(r.consecutive_failures),
    lastCheckedAt: r.last_checked_at === null ? null : Number(r.last_checked_at), updatedAt: Number(r.updated_at),
  };
}

/** Runnable active checks whose shard is in `shards`. */
export async function loadRunnable(db: Executor, shards: ReadonlySet<number>): Promise<ScheduledService[]> {
  const rows = await db.selectFrom('services').select(columns).where('kind', '=', 'check').where('paused', '=', 0).execute();
  return rows.map(toScheduled).filter((s) => shards.has(s.shard));
}

/** Versions (updated_at) of services of any kind or state changed at or after `since`. */
export async function listChangedSince(db: Executor, since: number): Promise<Map<string, number>> {
  const rows = await db.selectFrom('services').select(['id', 'updated_at']).where('updated_at', '>=', since).execute();
  return new Map(rows.map((r) => [r.id, Number(r.updated_at)]));
}

export async function loadByIds(db: Executor, ids: string[]): Promise<ScheduledService[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('services').select(columns).where('id', 'in', ids).execute();
  return rows.map(toScheduled);
}

/** Ids and versions of every runnable active check: the periodic reconciliation compares them. */
export async function listRunnableVersions(db: Executor): Promise<Map<string, number>> {
  const rows = await db.selectFrom('services').select(['id', 'updated_at']).where('kind', '=', 'check').where('paused', '=', 0).execute();
  return new Map(rows.map((r) => [r.id, Number(r.updated_at)]));
}
