// When a heartbeat is late, down, or overdue with a started run: pure functions of the schedule,
// the last check-in and the clock. The sweeper and the check-in path both call evaluate(), so
// the stored next_deadline is only a hint of when to look again, never the truth itself.
import { Cron } from 'croner';
import { formatDuration, parseDuration } from '../domain/duration.js';
import type { ServiceState } from '../domain/service-state.js';
import type { HeartbeatConfig } from './heartbeat-config.js';

const defaultRunLimitMs = 3_600_000;

export interface HeartbeatTimes {
  /** Late from this time on (first missed check-in). */
  lateAt: number;
  /** Down from this time on (grace over, or Missme's threshold passed). */
  downAt: number;
}

function ms(value: string | number | undefined): number {
  return value === undefined ? 0 : parseDuration(value) ?? 0;
}

/** The times a service that last checked in at `lastPingAt` becomes late, then down. */
export function deadlinesAfter(config: HeartbeatConfig, lastPingAt: number): HeartbeatTimes {
  if (config.schedule === 'period') {
    const lateAt = lastPingAt + ms(config.period);
    return { lateAt, downAt: lateAt + ms(config.grace) };
  }
  if (config.schedule === 'missme') {
    // "a 'days 1' service with a threshold of 3 will only notify you if there haven't been any
    // check ins for 4 days": down after threshold + 1 intervals, late from the first miss.
    const every = ms(config.every);
    return { lateAt: lastPingAt + every, downAt: lastPingAt + every * (config.threshold + 1) };
  }
  // croner computes the next wall-clock time in the zone, so DST days come out right.
  const next = new Cron(config.cron, { timezone: config.timezone ?? 'UTC' }).nextRun(new Date(lastPingAt));
  const lateAt = next ? next.getTime() : Number.MAX_SAFE_INTEGER;
  return { lateAt, downAt: lateAt + ms(config.grace) };
}

/** How long a run announced by a start signal may take before the service is down. */
export function runLimitMs(config: HeartbeatConfig): number {
  if (config.maxRunTime !== undefined) return ms(config.maxRunTime);
  if (config.schedule === 'missme') return ms(config.every);
  return ms(config.grace) || defaultRunLimitMs;
}

export interface HeartbeatSnapshot {
  state: ServiceState;
  lastPingAt: number | null;
  runStartedAt: number | null;
}

export interface Evaluation {
  state: ServiceState;
  /** When to evaluate again (null: nothing will change without a check-in). */
  nextDeadline: number | null;
  /** Why the state is what it is, when it changes to late or down. */
  cause: string | null;
}

const watched: ServiceState[] = ['up', 'late', 'pending'];

/**
 * The state a heartbeat is in at `now`. Only a check-in moves a service out of unknown, down,
 * paused or maintenance; a started run that overruns brings any non-paused service down.
 */
export function evaluate(config: HeartbeatConfig, snap: HeartbeatSnapshot, now: number): Evaluation {
  if (snap.state === 'paused' || snap.state === 'maintenance' || snap.state === 'down') {
    return { state: snap.state, nextDeadline: null, cause: null };
  }
  let runDeadline: number | null = null;
  if (snap.runStartedAt !== null) {
    const limit = runLimitMs(config);
    runDeadline = snap.runStartedAt + limit;
    if (now >= runDeadline) {
      return { state: 'down', nextDeadline: null, cause: `started at ${new Date(snap.runStartedAt).toISOString()} but never finished within ${formatDuration(limit)}` };
    }
  }
  if (!watched.includes(snap.state) || snap.lastPingAt === null) {
    return { state: snap.state, nextDeadline: runDeadline, cause: null };
  }
  const { lateAt, downAt } = deadlinesAfter(config, snap.lastPingAt);
  const since = () => `no check-in since ${new Date(snap.lastPingAt!).toISOString()}`;
  const soonest = (t: number) => (runDeadline === null ? t : Math.min(t, runDeadline));
  if (now >= downAt) return { state: 'down', nextDeadline: null, cause: since() };
  if (now >= lateAt) return { state: 'late', nextDeadline: soonest(downAt), cause: `late: ${since()}` };
  return { state: 'up', nextDeadline: soonest(lateAt), cause: null };
}
