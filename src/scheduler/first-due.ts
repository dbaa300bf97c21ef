// When a service (newly loaded after a start, a take-over, a creation or a resume) runs first.
// A service checked recently keeps its rhythm: last check + interval. One that is overdue or was
// never checked starts at a stable pseudo-random offset within min(interval, spread window), so a
// restart or a batch import of thousands of services never fires them all at once, and every
// service is back on schedule within one interval.
import { stableHash } from './shards.js';

export function firstDue(service: { id: string; intervalMs: number; lastCheckedAt: number | null }, intervalMs: number, now: number, spreadMs: number): number {
  if (service.lastCheckedAt !== null) {
    const next = service.lastCheckedAt + intervalMs;
    if (next >= now) return next;
  }
  const window = Math.max(1, Math.min(intervalMs, spreadMs));
  return now + (stableHash(`spread:${service.id}`) % window);
}
