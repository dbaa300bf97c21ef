// When to try a failed delivery again: exponential backoff with jitter, at least what the
// provider asked for (Retry-After), and a point where we give up.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
  /** Give up once an item is older than this. */
  maxAgeMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 5_000, maxMs: 30 * 60_000, maxAttempts: 10, maxAgeMs: 24 * 3_600_000 };

/**
 * The time of the next attempt after `attempts` failed ones, or null to give up.
 * Jitter (±20%) spreads the retries of many items failing together.
 */
export function nextAttemptAt(policy: BackoffPolicy, input: { attempts: number; createdAt: number; now: number; retryAfterMs: number | null; random?: () => number }): number | null {
  if (input.attempts >= policy.maxAttempts) return null;
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** (input.attempts - 1));
  const jittered = exponential * (0.8 + 0.4 * (input.random ?? Math.random)());
  const delay = Math.min(Math.max(jittered, input.retryAfterMs ?? 0), Math.max(policy.maxMs, input.retryAfterMs ?? 0));
  const at = Math.round(input.now + delay);
  return at - input.createdAt > policy.maxAgeMs ? null : at;
}
