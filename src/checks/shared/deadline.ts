// Every checker stops when `ctx.signal` aborts. The caller guarantees that it aborts at
// `ctx.timeoutMs` (the scheduler's run-check.ts, and the tests' contexts, do so with a timer), so
// checkers set no timer of their own: a second timer, AbortSignal.timeout() combined with
// AbortSignal.any(), per check cost the scheduler about 30 MB of memory at 10,000 monitors.
import type { CheckContext } from '../types.js';

export interface Deadline {
  signal: AbortSignal;
  /** The sentence for a check that ran out of time. */
  timedOutDetail: string;
}

export function deadlineFor(ctx: CheckContext): Deadline {
  return { signal: ctx.signal, timedOutDetail: `timed out after ${ctx.timeoutMs} ms` };
}
