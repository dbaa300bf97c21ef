// Runs one check with its timeout. A checker that ignores its abort signal still cannot hold the
// scheduler: after the timeout (plus a short grace) the run is reported as timed out and its
// concurrency slot is freed, whatever the checker does later.
import { getChecker } from '../checks/registry.js';
import type { CheckOutcome } from '../checks/types.js';

const graceMs = 1000;

export async function runCheck(checkType: string | null, config: Record<string, unknown>, timeoutMs: number): Promise<CheckOutcome> {
  const checker = checkType ? getChecker(checkType) : undefined;
  if (!checker) return { up: false, latencyMs: null, detail: `no checker for type "${checkType}"` };
  const controller = new AbortController();
  let guard: NodeJS.Timeout | undefined;
  const abortTimer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  const hardStop = new Promise<CheckOutcome>((resolve) => {
    guard = setTimeout(() => resolve({ up: false, latencyMs: null, detail: `timed out after ${timeoutMs} ms` }), timeoutMs + graceMs);
  });
  try {
    return await Promise.race([checker.run(config, { signal: controller.signal, timeoutMs }), hardStop]);
  } catch (err) {
    const reason = controller.signal.aborted ? `timed out after ${timeoutMs} ms` : (err as Error).message;
    return { up: false, latencyMs: null, detail: `check failed: ${reason}` };
  } finally {
    clearTimeout(abortTimer);
    clearTimeout(guard);
  }
}
