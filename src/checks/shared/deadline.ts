// Every checker stops at the first of: the caller aborting `ctx.signal`, or `ctx.timeoutMs`
// elapsing. The timer is ours too, so a caller that forgets to abort cannot make a check hang.
import type { CheckContext } from '../types.js';

export interface Deadline {
  signal: AbortSignal;
  /** The sentence for a check that ran out of time. */
  timedOutDetail: string;
}

export function deadlineFor(ctx: CheckContext): Deadline {
  return {
    signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]),
    timedOutDetail: `timed out after ${ctx.timeoutMs} ms`,
  };
}
