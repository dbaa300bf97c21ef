// How long a provider asked us to wait before trying again. The standard Retry-After header
// (seconds or an HTTP date) wins; some APIs say it in the body instead: Discord `retry_after`
// (seconds, fractional), Telegram `parameters.retry_after` (seconds), Matrix `retry_after_ms`.
import type { HttpAnswer } from './http-request.js';

function header(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Parses a Retry-After header value into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function secondsField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.ceil(value * 1000) : undefined;
}

export function retryAfterMs(answer: HttpAnswer, now: number): number | undefined {
  const fromHeader = parseRetryAfter(header(answer, 'retry-after'), now);
  if (fromHeader !== undefined) return fromHeader;
  const body = answer.json as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  if (typeof body.retry_after_ms === 'number' && body.retry_after_ms >= 0) return Math.ceil(body.retry_after_ms);
  const parameters = body.parameters as Record<string, unknown> | undefined;
  return secondsField(body.retry_after) ?? secondsField(parameters?.retry_after);
}
