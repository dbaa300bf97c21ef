// What one check-in signal does to a heartbeat's state: pure, so the batch writer can apply
// several signals for the same service in order before writing the row once.
import type { ServiceState } from '../domain/service-state.js';
import type { HeartbeatConfig } from './heartbeat-config.js';
import { evaluate, type HeartbeatSnapshot } from './schedule.js';

export type SignalKind = 'success' | 'start' | 'fail' | 'log' | 'exit';

export interface Signal {
  kind: SignalKind;
  /** For `exit`: 0 is success, anything else a failure. */
  exitStatus?: number;
  /** Why a failure failed (Kuma's msg), used as the transition's cause. */
  message?: string;
}

export interface SignalOutcome {
  snapshot: HeartbeatSnapshot;
  nextDeadline: number | null;
  /** Run duration when the signal ends a started run. */
  durationMs: number | null;
  transition: { from: ServiceState; to: ServiceState; cause: string; openIncident: boolean; resolveIncident: boolean } | null;
}

const frozen: ServiceState[] = ['paused', 'maintenance'];

function isFailure(signal: Signal): boolean {
  return signal.kind === 'fail' || (signal.kind === 'exit' && signal.exitStatus !== 0);
}

function failureCause(signal: Signal): string {
  if (signal.message) return signal.message;
  return signal.kind === 'exit' ? `exited with status ${signal.exitStatus}` : 'failure signalled';
}

export function applySignal(config: HeartbeatConfig, snap: HeartbeatSnapshot, signal: Signal, at: number): SignalOutcome {
  if (signal.kind === 'log') {
    return { snapshot: snap, nextDeadline: evaluate(config, snap, at).nextDeadline, durationMs: null, transition: null };
  }
  if (signal.kind === 'start') {
    const next = { ...snap, runStartedAt: at };
    return { snapshot: next, nextDeadline: evaluate(config, next, at).nextDeadline, durationMs: null, transition: null };
  }
  const durationMs = snap.runStartedAt !== null ? at - snap.runStartedAt : null;
  const failed = isFailure(signal);
  // Paused and maintenance services keep their state; their check-ins are still recorded.
  const to: ServiceState = frozen.includes(snap.state) ? snap.state : failed ? 'down' : 'up';
  const next: HeartbeatSnapshot = { state: to, lastPingAt: at, runStartedAt: null };
  const changed = to !== snap.state;
  return {
    snapshot: next,
    nextDeadline: evaluate(config, next, at).nextDeadline,
    durationMs,
    transition: changed ? {
      from: snap.state, to,
      cause: failed ? failureCause(signal) : 'check-in received',
      openIncident: to === 'down',
      resolveIncident: snap.state === 'down' && to === 'up',
    } : null,
  };
}
