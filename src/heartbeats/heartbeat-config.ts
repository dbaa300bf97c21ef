// The schedule of a heartbeat (dead man's switch) service, in one of three forms:
//  - period: a check-in is expected every `period`, tolerated `grace` late (Healthchecks "simple");
//  - cron: a check-in is expected at each cron time in `timezone`, tolerated `grace` late;
//  - missme: Missme's `every` interval ("hours 4") and a `threshold` of missed check-ins.
// `maxRunTime` bounds a run announced by a start signal (default: the grace time, or 1 hour
// when there is no grace; `every` for missme).
import { Cron } from 'croner';
import Type, { type Static } from 'typebox';
import { maxScheduleDurationMs, parseDuration } from '../domain/duration.js';
import { badRequest } from '../domain/errors.js';

const Duration = Type.Union([Type.String({ minLength: 1 }), Type.Number({ minimum: 0 })], {
  description: 'A duration: "30s", "5m", "1h", "hours 4", or a number of seconds',
});
const maxRunTime = Type.Optional({ ...Duration, description: 'Longest run after a start signal before the service is down' });

export const HeartbeatConfigSchema = Type.Union([
  Type.Object({
    schedule: Type.Literal('period'),
    period: Duration,
    grace: Type.Optional(Duration),
    maxRunTime,
  }, { additionalProperties: false }),
  Type.Object({
    schedule: Type.Literal('cron'),
    cron: Type.String({ minLength: 1, description: 'A cron expression, e.g. "0 3 * * *"' }),
    timezone: Type.Optional(Type.String({ description: 'IANA time zone, default UTC' })),
    grace: Type.Optional(Duration),
    maxRunTime,
  }, { additionalProperties: false }),
  Type.Object({
    schedule: Type.Literal('missme'),
    every: Duration,
    threshold: Type.Integer({ minimum: 1, maximum: 1000, description: 'Missed check-ins before the service is dead' }),
    maxRunTime,
  }, { additionalProperties: false }),
]);

export type HeartbeatConfig = Static<typeof HeartbeatConfigSchema>;

/** Checks what the schema cannot: durations parse and are in range, the cron and zone are real. */
export function checkHeartbeatConfig(config: HeartbeatConfig): void {
  const fields = config as Record<string, unknown>;
  for (const field of ['period', 'grace', 'every', 'maxRunTime']) {
    const v = fields[field] as string | number | undefined;
    if (v === undefined) continue;
    const ms = parseDuration(v);
    if (ms === null) throw badRequest(`config.${field} must be a duration like "5m"`, [{ path: `/config/${field}`, message: 'not a duration' }]);
    if (ms > maxScheduleDurationMs) throw badRequest(`config.${field} must be at most 365 days`, [{ path: `/config/${field}`, message: 'must be at most 365 days' }]);
  }
  for (const field of ['period', 'every']) {
    const v = fields[field] as string | number | undefined;
    if (v !== undefined && (parseDuration(v) ?? 0) < 1000) throw badRequest(`config.${field} must be at least 1s`, [{ path: `/config/${field}`, message: 'too short' }]);
  }
  if (config.schedule === 'cron') {
    try {
      new Cron(config.cron, { timezone: config.timezone ?? 'UTC' }).nextRun(new Date(0));
    } catch (err) {
      throw badRequest(`config.cron/timezone: ${(err as Error).message}`, [{ path: '/config/cron', message: 'not a valid cron expression or time zone' }]);
    }
  }
}
