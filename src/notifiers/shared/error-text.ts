// Pulls the provider's own explanation out of an error answer so that the attempts log says
// "Bad Request: chat not found" or "invalid_token" rather than just "HTTP 400". Knows the shapes
// of the APIs Tocsin talks to; falls back to the raw body text.
import type { HttpAnswer } from './http-request.js';

const maxLength = 300;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((item) => (typeof item === 'string' ? [item] : stringsOf((item as { message?: unknown })?.message)));
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap((item) => stringsOf(item));
  return [];
}

/** The sentence from a JSON error body, or undefined when the body has none of the known fields. */
function fromJson(body: Record<string, unknown>): string | undefined {
  // Google / Power Automate: {"error": {"code": ..., "message": ..., "status": ...}}
  const nested = body.error as Record<string, unknown> | undefined;
  if (typeof nested === 'object' && nested !== null && typeof nested.message === 'string') {
    return [nested.status ?? nested.code, nested.message].filter((v) => v !== undefined).join(': ');
  }
  // Telegram `description`, Gotify `errorDescription`, X `detail`, most others `message`, Matrix/ntfy `error`.
  const main = [body.description, body.errorDescription, body.detail, body.message, body.error]
    .find((v): v is string => typeof v === 'string' && v !== '');
  const code = body.errcode ?? body.code ?? body.error_code;
  const details = stringsOf(body.errors).filter((d) => d !== main);
  const parts = [main, details.length > 0 ? details.join('; ') : undefined].filter((p): p is string => p !== undefined);
  if (parts.length === 0) return undefined;
  const sentence = parts.join(' - ');
  return code !== undefined && (typeof code === 'string' || typeof code === 'number') && !sentence.includes(String(code))
    ? `${sentence} (${code})`
    : sentence;
}

export function providerErrorText(answer: HttpAnswer): string {
  if (typeof answer.json === 'object' && answer.json !== null && !Array.isArray(answer.json)) {
    const sentence = fromJson(answer.json as Record<string, unknown>);
    if (sentence) return clip(sentence);
  }
  return answer.text.trim() === '' ? 'no details given' : clip(answer.text);
}
