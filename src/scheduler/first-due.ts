// When a service (newly loaded after a start, a take-over, a creation or a resume) runs first.
// A service checked recently keeps its rhythm: last check + interval. An overdue one takes its
// next slot in its own rhythm (last + k·interval), so after a restart or take-over every service
// is back on schedule within one interval and start times stay as spread as they were. When that
// slot is further than the spread window away (long intervals), and for a service never checked,
// the start is a stable pseudo-random offset within min(interval, spread window): a batch import
// of thousands of services never fires them all at once.
import { stableHash } from './shards.js';

export function firstDue(service: { id: string; lastCheckedAt: number | null }, intervalMs: number, now: number, spreadMs: number): number {
  const last = service.lastCheckedAt;
  if (last !== null) {
    if (last + intervalMs >= now) return last + intervalMs;
    const slot = last + Math.ceil((now - last) / intervalMs) * intervalMs;
    if (slot - now <= spreadMs) return slot;
  }
  const window = Math.max(1, Math.min(intervalMs, spreadMs));
  return now + (stableHash(`spread:${service.id}`) % window);
}
