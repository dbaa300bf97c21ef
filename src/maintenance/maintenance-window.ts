// Maintenance windows and the one question the scheduler asks: is this service in maintenance at
// time t? Pure: no I/O. Recurring windows open at each cron occurrence (in the window's IANA time
// zone, so "0 2 * * 0" in Europe/Paris follows daylight saving) and last `durationMs`.
import { Cron } from 'croner';

export type MaintenanceScope = 'namespace' | 'project' | 'service';
export const maintenanceScopes: MaintenanceScope[] = ['namespace', 'project', 'service'];

export interface MaintenanceWindow {
  id: string;
  namespaceId: string;
  scope: MaintenanceScope;
  scopeId: string;
  title: string;
  description: string | null;
  /** One-off: start; recurring: first instant it may open (optional). */
  startsAt: number | null;
  /** One-off: end (exclusive); recurring: last instant it may open (optional). */
  endsAt: number | null;
  /** Recurring only. */
  cron: string | null;
  durationMs: number | null;
  timeZone: string | null;
  managedBy: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What a service is, as far as maintenance scopes go. */
export interface ScopedService {
  id: string;
  projectId: string;
  namespaceId: string;
}

export interface Occurrence {
  windowId: string;
  start: number;
  end: number;
}

export function coversService(window: MaintenanceWindow, service: ScopedService): boolean {
  if (window.scope === 'service') return window.scopeId === service.id;
  if (window.scope === 'project') return window.scopeId === service.projectId;
  return window.scopeId === service.namespaceId;
}

/** Builds the croner job for a recurring window (paused: it never fires callbacks). */
export function cronOf(window: Pick<MaintenanceWindow, 'cron' | 'timeZone'>): Cron {
  return new Cron(window.cron!, { timezone: window.timeZone ?? 'UTC', paused: true });
}

/** The occurrence of `window` that contains `at`, if any. */
export function occurrenceAt(window: MaintenanceWindow, at: number, cron?: Cron): Occurrence | null {
  if (window.cron === null) {
    if (window.startsAt !== null && window.endsAt !== null && window.startsAt <= at && at < window.endsAt) {
      return { windowId: window.id, start: window.startsAt, end: window.endsAt };
    }
    return null;
  }
  const duration = window.durationMs ?? 0;
  // The latest occurrence in (at - duration, at] is the one still open at `at`.
  const next = (cron ?? cronOf(window)).nextRun(new Date(at - duration));
  if (!next) return null;
  const start = next.getTime();
  if (start > at || !withinActiveRange(window, start)) return null;
  return { windowId: window.id, start, end: start + duration };
}

function withinActiveRange(window: MaintenanceWindow, start: number): boolean {
  return (window.startsAt === null || start >= window.startsAt) && (window.endsAt === null || start <= window.endsAt);
}

/** Occurrences overlapping [from, to), oldest first (at most `limit` per window). */
export function occurrencesBetween(window: MaintenanceWindow, from: number, to: number, limit = 100): Occurrence[] {
  if (window.cron === null) {
    if (window.startsAt === null || window.endsAt === null) return [];
    return window.startsAt < to && window.endsAt > from ? [{ windowId: window.id, start: window.startsAt, end: window.endsAt }] : [];
  }
  const duration = window.durationMs ?? 0;
  const cron = cronOf(window);
  const out: Occurrence[] = [];
  let cursor = new Date(from - duration);
  while (out.length < limit) {
    const next = cron.nextRun(cursor);
    if (!next || next.getTime() >= to) break;
    const start = next.getTime();
    if (window.endsAt !== null && start > window.endsAt) break;
    if (withinActiveRange(window, start) && start + duration > from) out.push({ windowId: window.id, start, end: start + duration });
    cursor = next;
  }
  return out;
}
