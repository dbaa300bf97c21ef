// One check-in request from the agent or the run wrapper. Returns an error description, or null
// when the server answered 2xx: callers log it and carry on (monitoring must not break the job).
export async function reportOnceText(url: string, body: string | undefined, timeoutMs: number, contentType = 'text/plain; charset=utf-8'): Promise<string | null> {
  try {
    const res = await fetch(url, {
      method: 'POST', headers: { 'content-type': contentType, 'user-agent': 'tocsin-agent' },
      body: body ?? '', signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return res.ok ? null : `server answered ${res.status}: ${text.slice(0, 200)}`;
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    let origin = url;
    try { origin = new URL(url).origin; } catch { /* keep the raw text */ }
    return `cannot reach ${origin}: ${e.cause?.code ?? e.cause?.message ?? e.message}`;
  }
}
