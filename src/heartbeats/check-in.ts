// One check-in as the URL handlers hand it to the batch writer: who it is for (not yet looked
// up: lookups are batched too) and what it says.
import type { Signal } from './signals.js';

export type CheckInTarget =
  /** /ping/<token>[/<signal>] and /api/push/<token>. `orSlug`: a two-part URL that may instead be <ping-key>/<slug>. */
  | { by: 'token'; token: string; orSlug?: { pingKey: string; slug: string } }
  /** /ping/<ping-key>/<slug>[/<signal>]; `create` makes the service on first use. */
  | { by: 'slug'; pingKey: string; slug: string; create: boolean }
  /** /notify/<id> (Missme) and /refresh/<id> (statuspage): every service with that id and key. */
  | { by: 'legacy'; legacyId: string; apiKey: string };

export interface CheckIn {
  target: CheckInTarget;
  signal: Signal;
  at: number;
  body: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  /** A latency the client reported (Kuma's `ping`), in ms. */
  latencyMs?: number | null;
}

export type CheckInResult =
  /** `created`: `?create=1` made the service (answered 201, as Healthchecks does). */
  | { ok: true; serviceIds: string[]; created?: true }
  /** 403: `?create=1` past TOCSIN_AUTO_CREATE_LIMIT. */
  | { ok: false; status: 401 | 403 | 404; message: string };

export const signalWords = ['start', 'fail', 'log'] as const;

/** Parses the last URL part of a check-in: a signal word or an exit status 0-255. */
export function parseSignalWord(word: string): Signal | null {
  if ((signalWords as readonly string[]).includes(word)) return { kind: word as 'start' | 'fail' | 'log' };
  if (/^\d{1,3}$/.test(word) && Number(word) <= 255) return { kind: 'exit', exitStatus: Number(word) };
  return null;
}
