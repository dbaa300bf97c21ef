// What templates can use. Times are ISO 8601 in UTC; relative times and durations are for
// humans ("5m ago", "12m 5s"). Documented in the README for people writing their own templates.
import { formatDuration } from '../../domain/duration.js';
import type { AlertEvent } from '../types.js';

export interface MessageView {
  kind: AlertEvent['kind'];
  service: AlertEvent['service'];
  state: string;
  /** The state in capitals, for titles: "DOWN". */
  stateUpper: string;
  previousState: string;
  cause: string | null;
  link: string | null;
  /** When the state changed (ISO). */
  at: string;
  /** When the current problem/state started (ISO), and how long ago that was. */
  since: string | null;
  sinceAgo: string | null;
  /** How long the service has been in its state: "1h 5m". */
  stateDuration: string | null;
  incident: { id: string; openedAt: string; resolvedAt: string | null; duration: string | null } | null;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function elapsed(ms: number): string {
  return ms < 1000 ? '0s' : formatDuration(ms);
}

export function relativeTime(ms: number, now: number): string {
  const diff = now - ms;
  if (Math.abs(diff) < 1000) return 'just now';
  return diff > 0 ? `${formatDuration(diff)} ago` : `in ${formatDuration(-diff)}`;
}

/** `now` is the moment the message speaks from: relative times are measured to it. */
export function buildView(event: AlertEvent, now: number): MessageView {
  const incident = event.incident;
  const incidentMs = incident ? (incident.durationMs ?? (incident.resolvedAt ?? now) - incident.openedAt) : null;
  return {
    kind: event.kind,
    service: { ...event.service },
    state: event.state,
    stateUpper: event.state.toUpperCase(),
    previousState: event.previousState,
    cause: event.cause,
    link: event.link,
    at: isoTime(event.at),
    since: event.since === null ? null : isoTime(event.since),
    sinceAgo: event.since === null ? null : relativeTime(event.since, now),
    stateDuration: event.since === null ? null : elapsed(Math.max(0, now - event.since)),
    incident: incident === null ? null : {
      id: incident.id,
      openedAt: isoTime(incident.openedAt),
      resolvedAt: incident.resolvedAt === null ? null : isoTime(incident.resolvedAt),
      duration: incidentMs === null ? null : elapsed(Math.max(0, incidentMs)),
    },
  };
}

/** Applies `fn` to every string in the view (used to escape data for Slack's mrkdwn). */
export function mapStrings<T>(value: T, fn: (s: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)])) as T;
  }
  return value;
}
