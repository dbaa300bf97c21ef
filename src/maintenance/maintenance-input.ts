// The schema of a maintenance window as users write it (API, and the config file later), and its
// normalisation into stored columns. Times are ISO 8601 strings or epoch milliseconds.
import Type, { type Static } from 'typebox';
import { DurationSchema } from '../catalog/service-input.js';
import { parseDuration } from '../domain/duration.js';
import { badRequest } from '../domain/errors.js';
import { cronOf } from './maintenance-window.js';

/** The last instant a window may name (the end of the year 9999): later ones no column or Date holds. */
const maxInstantMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const Instant = Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Integer({ minimum: 0, maximum: maxInstantMs })], {
  description: 'An instant: ISO 8601 ("2026-05-01T22:00:00Z") or epoch milliseconds',
});

const fields = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Union([Type.String({ maxLength: 5000 }), Type.Null()]),
  target: Type.String({ minLength: 1, maxLength: 200, description: 'What it covers: "namespace", "namespace/project" or "namespace/project/service"' }),
  startsAt: Type.Union([Instant, Type.Null()], { description: 'One-off: start. Recurring: first instant it may open (optional)' }),
  endsAt: Type.Union([Instant, Type.Null()], { description: 'One-off: end. Recurring: last instant it may open (optional)' }),
  cron: Type.Union([Type.String({ minLength: 9, maxLength: 128 }), Type.Null()], { description: 'Recurring: when each occurrence opens, e.g. "0 2 * * 0"' }),
  duration: Type.Union([DurationSchema, Type.Null()], { description: 'Recurring: how long each occurrence lasts, e.g. "2h"' }),
  timeZone: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], { description: 'Recurring: IANA time zone of the cron expression (default UTC)' }),
};

export const CreateMaintenanceSchema = Type.Object({
  title: fields.title,
  target: fields.target,
  description: Type.Optional(fields.description),
  startsAt: Type.Optional(fields.startsAt),
  endsAt: Type.Optional(fields.endsAt),
  cron: Type.Optional(fields.cron),
  duration: Type.Optional(fields.duration),
  timeZone: Type.Optional(fields.timeZone),
}, { additionalProperties: false });
export type CreateMaintenanceInput = Static<typeof CreateMaintenanceSchema>;

export const UpdateMaintenanceSchema = Type.Partial(Type.Object(fields, { additionalProperties: false }));
export type UpdateMaintenanceInput = Static<typeof UpdateMaintenanceSchema>;

export interface NormalizedTiming {
  startsAt: number | null;
  endsAt: number | null;
  cron: string | null;
  durationMs: number | null;
  timeZone: string | null;
}

function instant(value: string | number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms) || ms < 0 || ms > maxInstantMs) {
    throw badRequest(`${field} must be an ISO 8601 time or epoch milliseconds, from 1970 to the end of 9999`, [{ path: `/${field}`, message: 'not a time' }]);
  }
  return ms;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const maxDurationMs = 31 * 86_400_000;

export function normalizeTiming(input: { startsAt?: string | number | null; endsAt?: string | number | null; cron?: string | null; duration?: string | number | null; timeZone?: string | null }): NormalizedTiming {
  const startsAt = instant(input.startsAt, 'startsAt');
  const endsAt = instant(input.endsAt, 'endsAt');
  if (startsAt !== null && endsAt !== null && endsAt <= startsAt) throw badRequest('endsAt must be after startsAt', [{ path: '/endsAt', message: 'before start' }]);
  const cron = input.cron ?? null;
  if (cron === null) {
    if (startsAt === null || endsAt === null) throw badRequest('a one-off window needs startsAt and endsAt; a recurring one needs cron and duration', [{ path: '/cron', message: 'missing' }]);
    if ((input.duration ?? null) !== null || (input.timeZone ?? null) !== null) throw badRequest('duration and timeZone only apply to recurring windows (with cron)', [{ path: '/duration', message: 'not allowed' }]);
    return { startsAt, endsAt, cron: null, durationMs: null, timeZone: null };
  }
  const durationMs = input.duration === null || input.duration === undefined ? null : parseDuration(input.duration);
  if (durationMs === null || durationMs < 60_000 || durationMs > maxDurationMs) throw badRequest('duration must be a duration from 1m to 31d, e.g. "2h"', [{ path: '/duration', message: 'missing or out of range' }]);
  const timeZone = input.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) throw badRequest(`unknown time zone "${timeZone}" (use an IANA name such as "Europe/Paris")`, [{ path: '/timeZone', message: 'unknown time zone' }]);
  try {
    cronOf({ cron, timeZone });
  } catch (err) {
    throw badRequest(`cron is not valid: ${(err as Error).message}`, [{ path: '/cron', message: 'not a cron expression' }]);
  }
  return { startsAt, endsAt, cron, durationMs, timeZone };
}
