// "rabbitmq": an AMQP 0-9-1 broker accepts a connection and login, and optionally a queue exists
// (passive declare, which never creates it) with enough consumers and not too many messages.
import type { ChannelModel } from 'amqplib';
import Type from 'typebox';
import type { Static } from 'typebox';
import { abortable } from '../shared/abortable.js';
import { deadlineFor } from '../shared/deadline.js';
import { plural } from '../shared/display.js';
import { describeNetworkError } from '../shared/network-errors.js';
import { formatMs, startStopwatch } from '../shared/stopwatch.js';
import { urlCredentialProperties, urlUsername, urlWithoutSecrets } from '../shared/url-credentials.js';
import { defineChecker, type CheckOutcome } from '../types.js';

const RabbitmqConfigSchema = Type.Object({
  url: Type.String({
    pattern: '^amqps?://',
    description: 'amqp://user:password@host:5672/vhost (vhost "/" is %2F or nothing), or amqps:// for TLS.',
  }),
  ...urlCredentialProperties(),
  queue: Type.Optional(Type.String({ minLength: 1, description: 'A queue that must exist; its message and consumer counts are reported.' })),
  minConsumers: Type.Optional(Type.Integer({ minimum: 0, description: 'With `queue`: down when fewer consumers are attached.' })),
  maxMessages: Type.Optional(Type.Integer({ minimum: 0, description: 'With `queue`: down when more messages are waiting.' })),
  ignoreTls: Type.Optional(Type.Boolean({ default: false, description: 'With amqps://, skip certificate verification (chain, host name, dates).' })),
}, { additionalProperties: false });

type RabbitmqConfig = Static<typeof RabbitmqConfigSchema>;

export const rabbitmqChecker = defineChecker({
  type: 'rabbitmq',
  title: 'RabbitMQ (AMQP): login and queue health',
  configSchema: RabbitmqConfigSchema,
  describeTarget: (config) => {
    const target = urlWithoutSecrets(config.url);
    return config.queue ? `${target} queue ${config.queue}` : target;
  },
  run: async (config, ctx) => {
    const { connect, credentials } = await import('amqplib'); // loaded on first use (registry.ts)
    const deadline = deadlineFor(ctx);
    const stopwatch = startStopwatch();
    const timings: Record<string, number> = {};
    let model: ChannelModel | undefined;
    try {
      const connecting = connect(config.url, {
        timeout: ctx.timeoutMs,
        rejectUnauthorized: !(config.ignoreTls ?? false),
        ...(config.username !== undefined || config.password !== undefined
          ? { credentials: credentials.plain(config.username ?? amqpUser(config.url), config.password ?? '') }
          : {}),
      });
      // amqplib exposes nothing to cancel a connection attempt: close it if it arrives too late.
      const closeLate = () => void connecting.then((late) => late.close()).catch(() => {});
      const live = await abortable(connecting, deadline.signal, closeLate);
      model = live;
      live.on('error', () => {}); // a broker closing the connection also fails the pending call
      timings.connectMs = stopwatch.elapsedMs();
      const close = () => void live.close().catch(() => {});
      const verdict = config.queue === undefined
        ? brokerVerdict(live, stopwatch.elapsedMs())
        : await abortable(queueVerdict(live, config, config.queue, stopwatch), deadline.signal, close);
      model = undefined;
      await abortable(live.close(), deadline.signal, close);
      return { ...verdict, timings };
    } catch (err) {
      const detail = deadline.signal.aborted ? deadline.timedOutDetail : describeAmqpError(err, config);
      return { up: false, latencyMs: null, detail, timings };
    } finally {
      model?.close().catch(() => {});
    }
  },
});

function brokerVerdict(model: ChannelModel, latencyMs: number): CheckOutcome {
  const { product, version } = model.connection.serverProperties;
  const name = [product ?? 'AMQP broker', version].filter(Boolean).join(' ');
  return { up: true, latencyMs, detail: `${name} accepted the login in ${formatMs(latencyMs)}` };
}

async function queueVerdict(model: ChannelModel, config: RabbitmqConfig, queue: string, stopwatch: { elapsedMs(): number }): Promise<CheckOutcome> {
  const channel = await model.createChannel();
  channel.on('error', () => {}); // a missing queue closes the channel with an error; checkQueue rejects with it
  const { messageCount, consumerCount } = await channel.checkQueue(queue);
  const latencyMs = stopwatch.elapsedMs();
  const counts = `${plural(messageCount, 'message')} and ${plural(consumerCount, 'consumer')}`;
  if (config.minConsumers !== undefined && consumerCount < config.minConsumers) {
    return { up: false, latencyMs, detail: `queue '${queue}' has ${plural(consumerCount, 'consumer')}, expected at least ${config.minConsumers}` };
  }
  if (config.maxMessages !== undefined && messageCount > config.maxMessages) {
    return { up: false, latencyMs, detail: `queue '${queue}' has ${plural(messageCount, 'message')}, more than ${config.maxMessages}` };
  }
  return { up: true, latencyMs, detail: `queue '${queue}' has ${counts} (${formatMs(latencyMs)})` };
}

function describeAmqpError(err: unknown, config: RabbitmqConfig): string {
  const message = err instanceof Error ? err.message : String(err);
  // Broker refusals read: ... 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused ..."
  if (/ACCESS[-_]REFUSED/.test(message) && /login/i.test(message)) {
    return `authentication failed for user '${config.username ?? amqpUser(config.url)}'`;
  }
  if (/NOT_FOUND - no queue/.test(message)) return `queue '${config.queue}' does not exist`;
  // amqplib drops the broker's reason when it refuses connection.open; RabbitMQ does that only
  // for the virtual host (530 NOT_ALLOWED: missing, or no permission for this user).
  if (/^Expected ConnectionOpenOk; got <ConnectionClose/.test(message)) {
    return `broker refused the virtual host '${vhostOf(config.url)}' (it does not exist or the user may not use it)`;
  }
  const brokerText = /with message "([^"]+)"/.exec(message)?.[1];
  if (brokerText) return `broker refused: ${brokerText}`;
  if (message === 'connect ETIMEDOUT') return 'connection timed out';
  return describeNetworkError(err);
}

/** The virtual host amqplib opens for this URL. */
function vhostOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || '/';
  } catch {
    return '/';
  }
}

/** The user amqplib logs in as for this URL: "guest" when the URL names no credentials at all. */
function amqpUser(url: string): string {
  return urlUsername(url, /\/\/[^/@]*@/.test(url) ? '' : 'guest');
}
