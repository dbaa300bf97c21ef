// "mqtt": an MQTT broker accepts a connection (and login); optionally a topic is subscribed to and
// either a probe published there must come back, or a message (a retained one arrives at once)
// must be seen, optionally with an exact payload. mqtt.js with reconnecting off: one try per run.
import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import Type from 'typebox';
import type { Static } from 'typebox';
import { abortable } from '../shared/abortable.js';
import { deadlineFor } from '../shared/deadline.js';
import { applyDefaults, type WithDefaults } from '../shared/defaults.js';
import { describeNetworkError } from '../shared/network-errors.js';
import { formatMs, startStopwatch } from '../shared/stopwatch.js';
import { urlCredentialProperties, urlUsername, urlWithoutSecrets } from '../shared/url-credentials.js';
import { defineChecker, type CheckOutcome } from '../types.js';

export const mqttDefaults = { publish: false, qos: 0, ignoreTls: false } as const;

const MqttConfigSchema = Type.Object({
  url: Type.String({ pattern: '^mqtts?://', description: 'mqtt://host:1883, or mqtts://host:8883 for TLS.' }),
  ...urlCredentialProperties(),
  topic: Type.Optional(Type.String({ minLength: 1, description: 'Topic to subscribe to (wildcards allowed unless `publish`).' })),
  publish: Type.Optional(Type.Boolean({
    default: mqttDefaults.publish,
    description: 'With `topic`: publish a probe message there and wait for it to come back (round trip through the broker).',
  })),
  expectedPayload: Type.Optional(Type.String({
    description: 'With `topic`: wait for a message with exactly this payload (with `publish`, the probe\'s payload).',
  })),
  qos: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)], { default: mqttDefaults.qos, description: 'QoS of the subscription and the probe.' })),
  ignoreTls: Type.Optional(Type.Boolean({ default: mqttDefaults.ignoreTls, description: 'With mqtts://, skip certificate verification (chain, host name, dates).' })),
}, { additionalProperties: false });

type MqttConfig = WithDefaults<Static<typeof MqttConfigSchema>, typeof mqttDefaults>;

export const mqttChecker = defineChecker({
  type: 'mqtt',
  title: 'MQTT broker: connect, and optionally a message on a topic',
  configSchema: MqttConfigSchema,
  describeTarget: (config) => `${urlWithoutSecrets(config.url)}${config.topic ? ` topic ${config.topic}` : ''}`,
  run: async (written, ctx) => {
    const mqtt = (await import('mqtt')).default; // loaded on first use (registry.ts)
    const config: MqttConfig = applyDefaults(written, mqttDefaults);
    const deadline = deadlineFor(ctx);
    const stopwatch = startStopwatch();
    const timings: Record<string, number> = {};
    let waitingFor: string | undefined;
    if (config.publish && config.topic !== undefined && /[+#]/.test(config.topic)) {
      return { up: false, latencyMs: null, detail: `cannot publish a probe to the wildcard topic '${config.topic}'` };
    }
    const client = mqtt.connect(config.url, {
      username: config.username,
      password: config.password,
      clientId: `tocsin-${randomBytes(6).toString('hex')}`,
      clean: true,
      connectTimeout: ctx.timeoutMs,
      reconnectPeriod: 0,
      rejectUnauthorized: !config.ignoreTls,
    });
    const forceEnd = () => void client.end(true);
    try {
      await abortable(connected(client), deadline.signal, forceEnd);
      timings.connectMs = stopwatch.elapsedMs();
      let outcome: CheckOutcome;
      if (config.topic === undefined) {
        const latencyMs = stopwatch.elapsedMs();
        outcome = { up: true, latencyMs, detail: `broker accepted the connection in ${formatMs(latencyMs)}` };
      } else {
        const payload = config.publish ? (config.expectedPayload ?? `tocsin-probe-${randomBytes(6).toString('hex')}`) : config.expectedPayload;
        waitingFor = config.publish ? 'the probe message to come back' : `a message on '${config.topic}'`;
        outcome = await abortable(awaitMessage(client, config, config.topic, payload, stopwatch), deadline.signal, forceEnd);
      }
      await abortable(client.endAsync(), deadline.signal, forceEnd);
      return { ...outcome, timings };
    } catch (err) {
      let detail = describeMqttError(err, config);
      if (deadline.signal.aborted) detail = waitingFor ? `timed out after ${ctx.timeoutMs} ms waiting for ${waitingFor}` : deadline.timedOutDetail;
      return { up: false, latencyMs: null, detail, timings };
    } finally {
      forceEnd();
    }
  },
});

/** Resolves on CONNACK; rejects with the broker's refusal or the connection's error. */
function connected(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve());
    client.on('error', reject); // also keeps later errors from being unhandled 'error' events
    client.once('close', () => reject(new Error('connection closed before the broker accepted it')));
  });
}

async function awaitMessage(
  client: MqttClient,
  config: MqttConfig,
  topic: string,
  payload: string | undefined,
  stopwatch: { elapsedMs(): number },
): Promise<CheckOutcome> {
  const arrived = new Promise<string>((resolve) => {
    client.on('message', (_topic, message) => {
      const text = message.toString('utf8');
      if (payload === undefined || text === payload) resolve(text);
    });
  });
  const [grant] = await client.subscribeAsync(topic, { qos: config.qos });
  // A broker refuses a subscription with a grant of 128 (3.1.1) or a reason code >= 0x80 (5).
  if (grant === undefined || grant.qos >= 0x80) {
    return { up: false, latencyMs: stopwatch.elapsedMs(), detail: `broker refused the subscription to '${topic}'` };
  }
  if (config.publish) await client.publishAsync(topic, payload!, { qos: config.qos, retain: false });
  const text = await arrived;
  const latencyMs = stopwatch.elapsedMs();
  if (config.publish) return { up: true, latencyMs, detail: `probe message came back in ${formatMs(latencyMs)}` };
  const shown = text.length > 100 ? `${text.slice(0, 100)}…` : text;
  return { up: true, latencyMs, detail: `message on '${topic}' ("${shown}") in ${formatMs(latencyMs)}` };
}

function describeMqttError(err: unknown, config: MqttConfig): string {
  const code = (err as { code?: unknown }).code;
  const user = config.username ?? urlUsername(config.url, '');
  // CONNACK refusals: 3.1.1 return codes 4 (bad user name or password) and 5 (not authorized),
  // MQTT 5 reason codes 134 and 135. Mosquitto answers a wrong password with 5.
  if (code === 4 || code === 134) return `authentication failed for user '${user}'`;
  if (code === 5 || code === 135) return user ? `authentication failed for user '${user}' (not authorized)` : 'broker refused the connection: not authorized';
  if (typeof code === 'number') return `broker refused the connection: ${(err as Error).message}`;
  return describeNetworkError(err);
}
