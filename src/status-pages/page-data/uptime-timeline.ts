// Uptime from the state timeline (service_events): the share of monitored time a service was not
// down. It works the same for active checks and heartbeats (which have no check results), and
// for any span, so the 90 daily bars follow the page's time zone. Time in unknown, paused and
// maintenance states is not monitored time and counts neither way.
import type { ServiceState } from '../../domain/service-state.js';

export interface StateChangePoint {
  at: number;
  from: string;
  to: string;
}

export interface Span {
  start: number;
  end: number;
}

export interface SpanUptime {
  /** 0..1, or null when nothing was monitored in the span. */
  uptime: number | null;
  downMs: number;
  monitoredMs: number;
}

const monitored = new Set<string>(['up', 'pending', 'late', 'down']);

/**
 * Uptime for each span (sorted, non-overlapping). `changes` are the state changes from the first
 * span's start on, oldest first; `current` is the state now (and through any span without changes).
 */
export function uptimeBySpan(changes: StateChangePoint[], current: ServiceState, spans: Span[]): SpanUptime[] {
  if (spans.length === 0) return [];
  // Segments of constant state covering [first span start, last span end).
  const segments: { start: number; state: string }[] = [{ start: spans[0].start, state: changes[0]?.from ?? current }];
  for (const c of changes) segments.push({ start: c.at, state: c.to });
  const out: SpanUptime[] = [];
  let i = 0;
  for (const span of spans) {
    let downMs = 0;
    let monitoredMs = 0;
    while (i + 1 < segments.length && segments[i + 1].start <= span.start) i++;
    for (let j = i; j < segments.length && segments[j].start < span.end; j++) {
      const from = Math.max(segments[j].start, span.start);
      const to = Math.min(segments[j + 1]?.start ?? Infinity, span.end);
      if (to <= from || !monitored.has(segments[j].state)) continue;
      monitoredMs += to - from;
      if (segments[j].state === 'down') downMs += to - from;
    }
    out.push({ uptime: monitoredMs > 0 ? 1 - downMs / monitoredMs : null, downMs, monitoredMs });
  }
  return out;
}
