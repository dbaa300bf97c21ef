// The one schema of a channel, for the API and the config file, and its normalisation into a
// stored policy. Durations are written like everywhere else in Tocsin ("30m", "1h", seconds).
import Type, { type Static } from 'typebox';
import { maxScheduleDurationMs, parseDuration } from '../domain/duration.js';
import { AppError } from '../domain/errors.js';
import { channelEvents, defaultPolicy, type ChannelPolicy } from './channel.js';

const Duration = Type.Union([Type.String({ minLength: 1 }), Type.Number({ minimum: 0 })], { description: 'A duration: "30m", "1h", or seconds' });

export const ChannelPolicySchema = Type.Object({
  events: Type.Optional(Type.Array(Type.Enum(channelEvents), {
    uniqueItems: true, description: `Events this channel receives; default: ${defaultPolicy.events.join(', ')}`,
  })),
  reminderInterval: Type.Optional(Type.Union([Duration, Type.Null()], { description: 'Repeat while down, every this long; null = no reminders (default)' })),
  flapping: Type.Optional(Type.Union([
    Type.Object({
      changes: Type.Integer({ minimum: 2, maximum: 1000, description: 'More state changes than this within the window is flapping' }),
      window: Duration,
    }, { additionalProperties: false }),
    Type.Literal(false),
  ], { description: 'Default: more than 5 changes in 10m; false turns detection off' })),
  heartbeatRule: Type.Optional(Type.Union([Type.Literal('missme'), Type.Literal('like-checks')], {
    description: 'missme (default): heartbeats send one message when missing and one when back',
  })),
});

const name = Type.String({ minLength: 1, maxLength: 100 });
const config = Type.Record(Type.String(), Type.Unknown(), { description: 'The notifier settings; see the README per type' });

export const CreateChannelSchema = Type.Object({
  name,
  type: Type.String({ minLength: 1, maxLength: 32 }),
  config,
  enabled: Type.Optional(Type.Boolean()),
  ...ChannelPolicySchema.properties,
}, { additionalProperties: false });

export const UpdateChannelSchema = Type.Object({
  name: Type.Optional(name),
  type: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  config: Type.Optional(config),
  enabled: Type.Optional(Type.Boolean()),
  ...ChannelPolicySchema.properties,
}, { additionalProperties: false });

export const RouteInputSchema = Type.Object({
  path: Type.String({ minLength: 1, maxLength: 200, description: '"acme", "acme/website" or "acme/website/api"' }),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { uniqueItems: true, description: 'Only services with one of these tags' })),
}, { additionalProperties: false });

export type CreateChannelInput = Static<typeof CreateChannelSchema>;
export type UpdateChannelInput = Static<typeof UpdateChannelSchema>;
export type PolicyInput = Static<typeof ChannelPolicySchema>;
export type RouteInput = Static<typeof RouteInputSchema>;

function duration(value: string | number, field: string, min: number): number {
  const ms = parseDuration(value);
  if (ms === null || ms < min || ms > maxScheduleDurationMs) {
    throw new AppError('validation_failed', `${field} must be a duration from ${min / 1000}s to 365 days`, [{ path: `/${field}`, message: 'not a valid duration' }]);
  }
  return ms;
}

/** The stored policy: `current` with whatever the input sets. */
export function applyPolicyInput(current: ChannelPolicy, input: PolicyInput): ChannelPolicy {
  const policy = { ...current };
  if (input.events !== undefined) policy.events = [...input.events];
  if (input.reminderInterval !== undefined) {
    policy.reminderIntervalMs = input.reminderInterval === null ? null : duration(input.reminderInterval, 'reminderInterval', 60_000);
  }
  if (input.flapping !== undefined) {
    policy.flapping = input.flapping === false ? null : { changes: input.flapping.changes, windowMs: duration(input.flapping.window, 'flapping/window', 1000) };
  }
  if (input.heartbeatRule !== undefined) policy.heartbeatRule = input.heartbeatRule;
  return policy;
}
