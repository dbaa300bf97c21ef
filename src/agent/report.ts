// One check-in request from the agent or the run wrapper. Returns an error description, or null
// when the server answered 2xx: callers log it and carry on (monitoring must not break the job).

interface Attempt {
  error: string | null;
  /** Whether trying again may succeed: no answer, 429 or 5xx. A 4xx (wrong URL, bad token) stays so. */
  passing: boolean;
  /** The server's Retry-After, in ms. */
  retryAfterMs?: number;
}

async function attemptReport(url: string, body: string | undefined, timeoutMs: number, contentType: string): Promise<Attempt> {
  try {
    const res = await fetch(url, {
      method: 'POST', headers: { 'content-type': contentType, 'user-agent': 'tocsin-agent' },
      body: body ?? '', signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (res.ok) return { error: null, passing: false };
    const retryAfter = Number(res.headers.get('retry-after'));
    return {
      error: `server answered ${res.status}: ${text.slice(0, 200)}`,
      passing: res.status === 429 || res.status >= 500,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 && { retryAfterMs: retryAfter * 1000 }),
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    let origin = url;
    try { origin = new URL(url).origin; } catch { /* keep the raw text */ }
    return { error: `cannot reach ${origin}: ${e.cause?.code ?? e.cause?.message ?? e.message}`, passing: true };
  }
}

export async function reportOnceText(url: string, body: string | undefined, timeoutMs: number, contentType = 'text/plain; charset=utf-8'): Promise<string | null> {
  return (await attemptReport(url, body, timeoutMs, contentType)).error;
}

export interface RetryPolicy {
  /** Tries after the first; 0 sends once. */
  retries: number;
  /** The wait before the first retry; each next one doubles. */
  firstDelayMs: number;
  /** No wait is longer, whatever the server's Retry-After says: the job waits meanwhile. */
  maxDelayMs: number;
}

/** 1 s, 2 s, 4 s: rides out a restart of the server or its database, and delays a job by 7 s at most. */
export const defaultRetryPolicy: RetryPolicy = { retries: 3, firstDelayMs: 1000, maxDelayMs: 10_000 };

/**
 * As reportOnceText, trying again after a failure that may pass (see Attempt.passing), waiting
 * as the policy says or as the server's Retry-After asks, up to maxDelayMs. `onRetry` is told of
 * each failed try that will be retried.
 */
export async function reportWithRetries(url: string, body: string | undefined, timeoutMs: number, policy: RetryPolicy,
  onRetry: (error: string, delayMs: number) => void): Promise<string | null> {
  for (let attempt = 0; ; attempt++) {
    const result = await attemptReport(url, body, timeoutMs, 'text/plain; charset=utf-8');
    if (result.error === null || !result.passing || attempt >= policy.retries) return result.error;
    const delayMs = Math.min(result.retryAfterMs ?? policy.firstDelayMs * 2 ** attempt, policy.maxDelayMs);
    onRetry(result.error, delayMs);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
