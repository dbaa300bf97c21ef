// The one schema for a service as users write it, in the API and in the YAML file, and its
// normalisation into stored columns.
import Type, { type Static } from 'typebox';
import { getChecker, checkerTypes } from '../checks/registry.js';
import { parseDuration } from '../domain/duration.js';
import { AppError, badRequest } from '../domain/errors.js';
import { slugPattern } from '../domain/slug-path.js';
import { assertValid } from '../domain/validation.js';
import { checkHeartbeatConfig, HeartbeatConfigSchema, type HeartbeatConfig } from '../heartbeats/heartbeat-config.js';

export const DurationSchema = Type.Union([Type.String({ minLength: 1, maxLength: 32 }), Type.Number({ minimum: 0 })], {
  description: 'A duration: "30s", "5m", "1h", or a number of seconds',
});

const serviceFields = {
  slug: Type.String({ pattern: slugPattern, description: 'URL-safe id, unique in its project; derived from the name when omitted' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Union([Type.String({ maxLength: 5000 }), Type.Null()]),
  type: Type.String({ minLength: 1, maxLength: 32, description: 'A checker type (http, tcp, ping, ...) or "heartbeat"' }),
  config: Type.Record(Type.String(), Type.Unknown(), { description: 'Checker options, or the heartbeat schedule' }),
  interval: DurationSchema,
  timeout: DurationSchema,
  retries: Type.Integer({ minimum: 0, maximum: 20, description: 'Failures tolerated (state pending) before down' }),
  retryInterval: DurationSchema,
  upsideDown: Type.Boolean({ description: 'Up when the check fails, down when it succeeds' }),
  paused: Type.Boolean(),
  tags: Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s,]+$' }), { maxItems: 50 }),
};

export const CreateServiceSchema = Type.Object({
  ...serviceFields,
  slug: Type.Optional(serviceFields.slug),
  description: Type.Optional(serviceFields.description),
  config: Type.Optional(serviceFields.config),
  interval: Type.Optional(serviceFields.interval),
  timeout: Type.Optional(serviceFields.timeout),
  retries: Type.Optional(serviceFields.retries),
  retryInterval: Type.Optional(serviceFields.retryInterval),
  upsideDown: Type.Optional(serviceFields.upsideDown),
  paused: Type.Optional(serviceFields.paused),
  tags: Type.Optional(serviceFields.tags),
}, { additionalProperties: false });
export type CreateServiceInput = Static<typeof CreateServiceSchema>;

export const UpdateServiceSchema = Type.Partial(Type.Object(serviceFields, { additionalProperties: false }));
export type UpdateServiceInput = Static<typeof UpdateServiceSchema>;

export interface NormalizedService {
  kind: 'check' | 'heartbeat';
  checkType: string | null;
  config: Record<string, unknown>;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  retryIntervalMs: number;
}

const limits = { minIntervalMs: 1000, maxIntervalMs: 24 * 3600_000, minTimeoutMs: 100 };

function durationMs(value: string | number | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value);
  if (ms === null) throw badRequest(`${field} must be a duration like "30s", "5m" or a number of seconds`, [{ path: `/${field}`, message: 'not a duration' }]);
  return ms;
}

function heartbeatIntervalMs(config: HeartbeatConfig): number {
  if (config.schedule === 'period') return parseDuration(config.period) ?? 0;
  if (config.schedule === 'missme') return parseDuration(config.every) ?? 0;
  return 0;
}

/** Validates the type-specific parts and turns durations into milliseconds. */
export function normalizeService(input: {
  type: string; config?: Record<string, unknown>; interval?: string | number; timeout?: string | number;
  retries?: number; retryInterval?: string | number;
}): NormalizedService {
  const config = input.config ?? {};
  if (input.type === 'heartbeat') {
    assertValid(HeartbeatConfigSchema, config, 'heartbeat schedule', '/config');
    const hb = config as HeartbeatConfig;
    checkHeartbeatConfig(hb);
    return { kind: 'heartbeat', checkType: null, config, intervalMs: heartbeatIntervalMs(hb), timeoutMs: 0, retries: 0, retryIntervalMs: 0 };
  }
  const checker = getChecker(input.type);
  if (!checker) {
    throw new AppError('validation_failed', `unknown service type "${input.type}"; known types: ${[...checkerTypes(), 'heartbeat'].join(', ')}`, [{ path: '/type', message: 'unknown type' }]);
  }
  assertValid(checker.configSchema, config, `${input.type} config`, '/config');
  const intervalMs = durationMs(input.interval, 'interval', 60_000);
  if (intervalMs < limits.minIntervalMs || intervalMs > limits.maxIntervalMs) throw badRequest('interval must be between 1s and 24h', [{ path: '/interval', message: 'out of range' }]);
  const timeoutMs = durationMs(input.timeout, 'timeout', Math.min(10_000, intervalMs));
  if (timeoutMs < limits.minTimeoutMs || timeoutMs > intervalMs) throw badRequest('timeout must be at least 100ms and at most the interval', [{ path: '/timeout', message: 'out of range' }]);
  const retryIntervalMs = durationMs(input.retryInterval, 'retryInterval', intervalMs);
  if (retryIntervalMs < limits.minIntervalMs || retryIntervalMs > limits.maxIntervalMs) throw badRequest('retryInterval must be between 1s and 24h', [{ path: '/retryInterval', message: 'out of range' }]);
  return { kind: 'check', checkType: input.type, config, intervalMs, timeoutMs, retries: input.retries ?? 0, retryIntervalMs };
}
