// Measures elapsed time with the monotonic clock, so wall-clock jumps never show up as latency.
import { performance } from 'node:perf_hooks';

export interface Stopwatch {
  /** Milliseconds since the stopwatch started, to 0.01 ms. */
  elapsedMs(): number;
}

export function startStopwatch(): Stopwatch {
  const start = performance.now();
  return { elapsedMs: () => roundMs(performance.now() - start) };
}

export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** "85 ms", "0.4 ms": whole milliseconds unless the value is tiny (loopback, LAN). */
export function formatMs(ms: number): string {
  return ms < 10 ? `${Math.round(ms * 10) / 10} ms` : `${Math.round(ms)} ms`;
}
