// "redis": a Redis (or Valkey, KeyDB…) server accepts a connection and login and answers a
// command, PING by default, optionally with an expected reply. ioredis with every automatic
// behaviour off (no reconnects, no retries, no offline queue, no ready check): a probe must see
// the server as it is, once, and the ready check's INFO could be forbidden to a monitoring user.
import type { Redis } from 'ioredis';
import Type from 'typebox';
import { abortable } from '../shared/abortable.js';
import { deadlineFor } from '../shared/deadline.js';
import { applyDefaults } from '../shared/defaults.js';
import { describeNetworkError } from '../shared/network-errors.js';
import { formatMs, startStopwatch } from '../shared/stopwatch.js';
import { urlCredentialProperties, urlUsername, urlWithoutSecrets } from '../shared/url-credentials.js';
import { defineChecker } from '../types.js';

export const redisDefaults = { command: ['PING'], ignoreTls: false };

const RedisConfigSchema = Type.Object({
  url: Type.String({
    pattern: '^rediss?://',
    description: 'redis://[user:password@]host[:6379][/db], or rediss:// for TLS.',
  }),
  ...urlCredentialProperties(),
  command: Type.Optional(Type.Array(Type.String(), {
    minItems: 1,
    default: redisDefaults.command,
    description: 'Command and arguments to send, e.g. [GET, "health:flag"].',
  })),
  expectedReply: Type.Optional(Type.String({ description: 'The reply, as text, must equal this.' })),
  ignoreTls: Type.Optional(Type.Boolean({ default: redisDefaults.ignoreTls, description: 'With rediss://, skip certificate verification (chain, host name, dates).' })),
}, { additionalProperties: false });

export const redisChecker = defineChecker({
  type: 'redis',
  title: 'Redis: connect, log in and run a command',
  configSchema: RedisConfigSchema,
  describeTarget: (config) => urlWithoutSecrets(config.url),
  run: async (written, ctx) => {
    const { Redis } = await import('ioredis'); // loaded on first use (registry.ts)
    const config = applyDefaults(written, redisDefaults);
    const deadline = deadlineFor(ctx);
    const stopwatch = startStopwatch();
    const timings: Record<string, number> = {};
    let client: Redis | undefined;
    // ioredis reports why a connection failed (refused, TLS, AUTH) only as an 'error' event; the
    // promise of connect() or of the command just says "Connection is closed.".
    let connectionError: unknown;
    try {
      const tls = config.url.startsWith('rediss:') ? { rejectUnauthorized: !config.ignoreTls } : undefined;
      const live = new Redis(config.url, {
        username: config.username,
        password: config.password,
        tls,
        lazyConnect: true,
        connectTimeout: ctx.timeoutMs,
        commandTimeout: ctx.timeoutMs,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        reconnectOnError: () => false,
        enableOfflineQueue: false,
        enableReadyCheck: false,
        autoResubscribe: false,
      });
      client = live;
      live.on('error', (err) => {
        connectionError = err;
      });
      const disconnect = () => live.disconnect();
      await abortable(live.connect(), deadline.signal, disconnect);
      timings.connectMs = stopwatch.elapsedMs();
      const [name, ...args] = config.command;
      const reply = replyText(await abortable(live.call(name, ...args), deadline.signal, disconnect));
      const latencyMs = stopwatch.elapsedMs();
      const shown = reply.length > 100 ? `${reply.slice(0, 100)}…` : reply;
      if (config.expectedReply !== undefined && reply !== config.expectedReply) {
        return { up: false, latencyMs, detail: `${name} replied "${shown}", expected "${config.expectedReply}"`, timings };
      }
      return { up: true, latencyMs, detail: `${name} replied "${shown}" in ${formatMs(latencyMs)}`, timings };
    } catch (err) {
      const closed = err instanceof Error && err.message === 'Connection is closed.';
      const cause = closed && connectionError !== undefined ? connectionError : err;
      const detail = deadline.signal.aborted ? deadline.timedOutDetail : describeRedisError(cause, config);
      return { up: false, latencyMs: null, detail, timings };
    } finally {
      client?.disconnect();
    }
  },
});

/** A reply as text: strings as they are, nil as "(nil)", arrays as JSON. */
export function replyText(reply: unknown): string {
  if (reply === null || reply === undefined) return '(nil)';
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  if (Array.isArray(reply)) return JSON.stringify(reply, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('utf8') : value));
  return String(reply);
}

function describeRedisError(err: unknown, config: { url: string; username?: string }): string {
  const message = err instanceof Error ? err.message : String(err);
  // Server error replies start with an upper-case code: WRONGPASS, NOAUTH, NOPERM, LOADING, ERR…
  if (/^WRONGPASS\b/.test(message) || /^ERR invalid password/.test(message)) {
    return `authentication failed for user '${config.username ?? urlUsername(config.url, 'default')}'`;
  }
  if (/^NOAUTH\b/.test(message)) return 'server requires a password';
  if (/^[A-Z]+ /.test(message) && (err as { name?: string }).name === 'ReplyError') return `server replied with an error: ${message}`;
  return describeNetworkError(err);
}
