// The schedule of a heartbeat (dead man's switch) service, in one of three forms:
//  - period: a check-in is expected every `period`, tolerated `grace` late (Healthchecks "simple");
//  - cron: a check-in is expected at each cron time in `timezone`, tolerated `grace` late;
//  - missme: Missme's `every` interval ("hours 4") and a `threshold` of missed check-ins.
import Type, { type Static } from 'typebox';

const Duration = Type.Union([Type.String({ minLength: 1 }), Type.Number({ minimum: 0 })], {
  description: 'A duration: "30s", "5m", "1h", "hours 4", or a number of seconds',
});

export const HeartbeatConfigSchema = Type.Union([
  Type.Object({
    schedule: Type.Literal('period'),
    period: Duration,
    grace: Type.Optional(Duration),
  }, { additionalProperties: false }),
  Type.Object({
    schedule: Type.Literal('cron'),
    cron: Type.String({ minLength: 1, description: 'A cron expression, e.g. "0 3 * * *"' }),
    timezone: Type.Optional(Type.String({ description: 'IANA time zone, default UTC' })),
    grace: Type.Optional(Duration),
  }, { additionalProperties: false }),
  Type.Object({
    schedule: Type.Literal('missme'),
    every: Duration,
    threshold: Type.Integer({ minimum: 1, maximum: 1000, description: 'Missed check-ins before the service is dead' }),
  }, { additionalProperties: false }),
]);

export type HeartbeatConfig = Static<typeof HeartbeatConfigSchema>;
