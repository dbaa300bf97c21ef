// Sends the configured request and follows redirects by hand, so that the check can say which
// redirect it stopped at and how many it followed. Browser rules: 303 (and 301/302 after a POST)
// become a GET without body; 307/308 keep method and body; credentials are not sent to another origin.
import type { Stopwatch } from '../shared/stopwatch.js';
import type { FreshConnections } from './fresh-connections.js';
import { readBodyText } from './read-body.js';

export interface RequestPlan {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  followRedirects: boolean;
  maxRedirects: number;
}

export type RequestResult =
  | { kind: 'response'; status: number; location?: string; finalUrl: URL; redirects: number; bodyText: string; bodyTruncated: boolean; firstByteMs: number }
  | { kind: 'too-many-redirects'; redirects: number; lastLocation: string }
  | { kind: 'bad-redirect'; location: string };

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

export async function sendRequest(connections: FreshConnections, plan: RequestPlan, signal: AbortSignal, stopwatch: Stopwatch): Promise<RequestResult> {
  let { url, method, body } = plan;
  let headers = plan.headers;
  let firstByteMs: number | undefined;
  for (let redirects = 0; ; redirects++) {
    const response = await connections.send({ url, method, headers, body }, signal);
    firstByteMs ??= stopwatch.elapsedMs();
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (!plan.followRedirects || !redirectStatuses.has(status) || location === undefined) {
      const { text, truncated } = await readBodyText(response);
      return { kind: 'response', status, location, finalUrl: url, redirects, bodyText: text, bodyTruncated: truncated, firstByteMs };
    }
    // The next request opens its own connection, so this body is not worth reading.
    response.destroy();
    if (redirects >= plan.maxRedirects) return { kind: 'too-many-redirects', redirects, lastLocation: location };
    const next = parseRedirect(location, url);
    if (!next) return { kind: 'bad-redirect', location };
    if (status === 303 || (status <= 302 && method === 'POST')) {
      method = method === 'HEAD' ? 'HEAD' : 'GET';
      body = undefined;
    }
    if (next.origin !== url.origin) headers = withoutCredentials(headers);
    url = next;
  }
}

function parseRedirect(location: string, base: URL): URL | null {
  try {
    const next = new URL(location, base);
    return next.protocol === 'http:' || next.protocol === 'https:' ? next : null;
  } catch {
    return null;
  }
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !['authorization', 'cookie'].includes(name.toLowerCase())));
}
