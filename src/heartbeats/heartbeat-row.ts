// A heartbeat as the check-in path holds it: the service row with its path, read in one query,
// changed in memory by each check-in of a batch and written once by the batch writer's main path.
import type { ServiceRef } from '../catalog/state-transitions.js';
import type { ServiceKind, ServiceState } from '../domain/service-state.js';
import { fromJson, type Executor } from '../store/executor.js';
import type { CheckIn } from './check-in.js';
import type { HeartbeatColumns, NewPing } from './heartbeat-batch-sql.js';
import type { HeartbeatConfig } from './heartbeat-config.js';
import type { HeartbeatSnapshot } from './schedule.js';
import type { SignalOutcome } from './signals.js';

export interface HeartbeatRow extends HeartbeatSnapshot {
  ref: ServiceRef;
  pingToken: string | null;
  config: HeartbeatConfig;
  nextDeadline: number | null;
  stateChangedAt: number | null;
  lastCheckedAt: number | null;
  lastLatencyMs: number | null;
  lastDetail: string | null;
}

const serviceColumns = ['services.id', 'services.namespace_id', 'services.slug', 'services.name', 'services.kind', 'services.config',
  'services.state', 'services.ping_token', 'services.last_ping_at', 'services.run_started_at', 'services.next_deadline',
  'services.state_changed_at', 'services.last_checked_at', 'services.last_latency_ms', 'services.last_detail'] as const;

/** Heartbeat services with their namespace and project slugs; callers add the condition. */
export function selectHeartbeats(db: Executor) {
  return db.selectFrom('services')
    .innerJoin('projects', 'projects.id', 'services.project_id')
    .innerJoin('namespaces', 'namespaces.id', 'services.namespace_id')
    .select([...serviceColumns, 'namespaces.slug as namespace_slug', 'projects.slug as project_slug'])
    .where('services.kind', '=', 'heartbeat');
}

export type SelectedHeartbeat = Awaited<ReturnType<ReturnType<typeof selectHeartbeats>['execute']>>[number];

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function heartbeatRowFrom(r: SelectedHeartbeat): HeartbeatRow {
  return {
    ref: { id: r.id, namespaceId: r.namespace_id, path: `${r.namespace_slug}/${r.project_slug}/${r.slug}`, name: r.name, kind: r.kind as ServiceKind },
    pingToken: r.ping_token ?? null,
    config: fromJson<HeartbeatConfig>(r.config, { schedule: 'period', period: '1d' }),
    state: r.state as ServiceState,
    lastPingAt: num(r.last_ping_at), runStartedAt: num(r.run_started_at), nextDeadline: num(r.next_deadline),
    stateChangedAt: num(r.state_changed_at), lastCheckedAt: num(r.last_checked_at), lastLatencyMs: num(r.last_latency_ms),
    lastDetail: r.last_detail,
  };
}

export function stateColumns(r: HeartbeatRow): HeartbeatColumns {
  return {
    state: r.state, state_changed_at: r.stateChangedAt, last_ping_at: r.lastPingAt, run_started_at: r.runStartedAt,
    next_deadline: r.nextDeadline, last_checked_at: r.lastCheckedAt, last_latency_ms: r.lastLatencyMs, last_detail: r.lastDetail,
  };
}

/**
 * Applies a check-in's outcome to its row in memory (its transition, if any, already recorded by
 * the caller) and returns the ping to store.
 */
export function applyOutcome(row: HeartbeatRow, item: CheckIn, outcome: SignalOutcome): NewPing {
  if (outcome.transition) row.stateChangedAt = item.at;
  Object.assign(row, outcome.snapshot);
  row.nextDeadline = outcome.nextDeadline;
  if (item.signal.kind !== 'log') {
    row.lastCheckedAt = item.at;
    row.lastDetail = checkInDetail(item);
    row.lastLatencyMs = item.latencyMs ?? outcome.durationMs ?? row.lastLatencyMs;
  }
  return {
    service_id: row.ref.id, at: item.at, kind: item.signal.kind, exit_status: item.signal.exitStatus ?? null,
    duration_ms: outcome.durationMs, body: item.body, source_ip: item.sourceIp, user_agent: item.userAgent,
  };
}

/** What a check-in says, as the service's last detail. */
export function checkInDetail(item: CheckIn): string {
  if (item.signal.message) return item.signal.message;
  if (item.signal.kind === 'exit') return `exit status ${item.signal.exitStatus}`;
  return `${item.signal.kind} signal`;
}
