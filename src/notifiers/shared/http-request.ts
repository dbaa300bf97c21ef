// The one way notifiers talk HTTP: applies the deadline, sends JSON or a form, and turns the
// answer into either the parsed body (2xx) or a DeliveryError that says whether a retry can help
// (408/429/5xx/network: yes; other answers: no) and carries the provider's own error text.
import { request } from 'undici';
import { readBodyText } from '../../checks/http/read-body.js';
import { deadlineSignal } from './deadline-signal.js';
import { DeliveryError, type NotifierContext } from '../types.js';
import { providerErrorText } from './error-text.js';
import { retryAfterMs as defaultRetryAfterMs } from './retry-after.js';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface HttpCall {
  /** Name used in error messages: "Telegram", "Slack"... */
  provider: string;
  method?: 'POST' | 'PUT' | 'PATCH';
  url: string | URL;
  headers?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded; undefined values are left out. */
  form?: Record<string, string | undefined>;
  /** A body already serialised (the caller sets content-type), e.g. to sign the exact bytes. */
  rawBody?: string;
  ctx: NotifierContext;
  /** Upper bound for this request on top of ctx.signal. */
  timeoutMs?: number;
  /** Extracts the provider's sentence from an error answer (default: common JSON fields, else the text). */
  errorText?(answer: HttpAnswer): string;
  /** How long the provider asks us to wait (default: Retry-After, then retry_after-style body fields). */
  retryAfterMs?(answer: HttpAnswer, now: number): number | undefined;
}

export const defaultTimeoutMs = 10_000;

/**
 * The most of an answer that is read. Providers answer a few hundred bytes of JSON; a channel's
 * URL is chosen by its editor, and an answer read whole could fill the memory of the instance
 * that delivers to it (an endless body arrives at hundreds of MB a second on a fast link).
 */
export const maxAnswerBytes = 64 * 1024;

function encodeBody(call: HttpCall): { body?: string; contentType?: string } {
  if (call.rawBody !== undefined) return { body: call.rawBody };
  if (call.form !== undefined) {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(call.form)) if (value !== undefined) form.append(key, value);
    return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  if (call.json !== undefined) return { body: JSON.stringify(call.json), contentType: 'application/json' };
  return {};
}

/** Only objects and arrays: what providers answer in JSON (and no exception for "ok"). */
function parseJson(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export async function sendHttp(call: HttpCall): Promise<HttpAnswer> {
  const timeoutMs = call.timeoutMs ?? defaultTimeoutMs;
  const deadline = deadlineSignal(timeoutMs, call.ctx.signal);
  const { signal } = deadline;
  const { body, contentType } = encodeBody(call);
  const headers: Record<string, string> = { 'user-agent': 'Tocsin', ...call.headers };
  if (contentType) headers['content-type'] = contentType;

  let answer: HttpAnswer;
  try {
    const response = await request(call.url, { method: call.method ?? 'POST', headers, body, signal });
    const { text } = await readBodyText(response.body, maxAnswerBytes);
    answer = { status: response.statusCode, headers: response.headers, text, json: parseJson(text) };
  } catch (err) {
    const reason = call.ctx.signal.aborted ? 'aborted' : signal.aborted ? `timed out after ${timeoutMs} ms` : describeNetworkError(err);
    throw new DeliveryError(`${call.provider}: request failed (${reason})`, { permanent: false, cause: err });
  } finally {
    deadline.clear();
  }

  if (answer.status >= 200 && answer.status < 300) return answer;
  const reason = (call.errorText ?? providerErrorText)(answer);
  const message = `${call.provider} answered HTTP ${answer.status}: ${reason}`;
  if (!isRetryableStatus(answer.status)) throw new DeliveryError(message, { permanent: true, status: answer.status });
  const retryAfterMs = (call.retryAfterMs ?? defaultRetryAfterMs)(answer, call.ctx.now());
  throw new DeliveryError(message, { permanent: false, status: answer.status, retryAfterMs });
}

function describeNetworkError(err: unknown): string {
  const error = err as { code?: string; message?: string; cause?: { code?: string } };
  return error.code ?? error.cause?.code ?? error.message ?? String(err);
}
