// "mongodb": a MongoDB deployment is reachable (server selection), accepts the login in the
// connection string, and answers a command (ping by default) on a database. The official driver,
// with its waits bounded by the check's timeout and no retries; one client per run, always closed.
import type { Document, MongoClient } from 'mongodb';
import Type from 'typebox';
import { abortable } from '../shared/abortable.js';
import { deadlineFor } from '../shared/deadline.js';
import { applyDefaults } from '../shared/defaults.js';
import { describeEmbeddedNetworkError } from '../shared/embedded-error.js';
import { describeNetworkError } from '../shared/network-errors.js';
import { formatMs, startStopwatch } from '../shared/stopwatch.js';
import { urlUsername, urlWithoutSecrets } from '../shared/url-credentials.js';
import { defineChecker } from '../types.js';

export const mongodbDefaults = { database: 'admin', command: { ping: 1 } };

const MongodbConfigSchema = Type.Object({
  url: Type.String({
    pattern: '^mongodb(\\+srv)?://',
    description: 'Connection string: mongodb://user:password@host:27017/?authSource=admin, or mongodb+srv://…',
  }),
  database: Type.Optional(Type.String({ minLength: 1, default: mongodbDefaults.database, description: 'Database to run the command on.' })),
  command: Type.Optional(Type.Record(Type.String(), Type.Unknown(), {
    default: mongodbDefaults.command,
    description: 'Command document to run; its first key is the command name, e.g. { ping: 1 } or { dbStats: 1 }.',
  })),
}, { additionalProperties: false });

export const mongodbChecker = defineChecker({
  type: 'mongodb',
  title: 'MongoDB: reach the deployment, log in and run a command',
  configSchema: MongodbConfigSchema,
  describeTarget: (config) => urlWithoutSecrets(config.url),
  run: async (written, ctx) => {
    const { MongoClient, MongoServerError } = await import('mongodb'); // loaded on first use (registry.ts)
    const config = applyDefaults(written, mongodbDefaults);
    const deadline = deadlineFor(ctx);
    const stopwatch = startStopwatch();
    const timings: Record<string, number> = {};
    const commandName = Object.keys(config.command)[0] ?? 'command';
    let client: MongoClient | undefined;
    try {
      const live = new MongoClient(config.url, {
        serverSelectionTimeoutMS: ctx.timeoutMs,
        connectTimeoutMS: ctx.timeoutMs,
        socketTimeoutMS: ctx.timeoutMs,
        maxPoolSize: 1,
        retryReads: false,
        retryWrites: false,
        appName: 'tocsin',
      });
      client = live;
      const close = () => void live.close().catch(() => {});
      await abortable(Promise.race([live.connect(), everyServerFailed(live)]), deadline.signal, close);
      timings.connectMs = stopwatch.elapsedMs();
      const reply = await abortable(live.db(config.database).command(config.command as Document), deadline.signal, close);
      const latencyMs = stopwatch.elapsedMs();
      await abortable(live.close(), deadline.signal, close);
      client = undefined;
      if (reply.ok !== 1) return { up: false, latencyMs, detail: `${commandName} answered ok: ${String(reply.ok)}`, timings };
      return { up: true, latencyMs, detail: `${commandName} answered ok in ${formatMs(latencyMs)}`, timings };
    } catch (err) {
      const detail = deadline.signal.aborted ? deadline.timedOutDetail : describeMongoError(err, MongoServerError, commandName, config.url);
      return { up: false, latencyMs: null, detail, timings };
    } finally {
      void client?.close().catch(() => {});
    }
  },
});

/**
 * Rejects with a server's error once every server the driver knows of has failed to connect.
 * Server selection alone would wait out its whole timeout even for a refused connection.
 */
function everyServerFailed(client: MongoClient): Promise<never> {
  return new Promise((_resolve, reject) => {
    client.on('topologyDescriptionChanged', (event) => {
      const servers = [...event.newDescription.servers.values()];
      if (servers.length > 0 && servers.every((server) => server.error)) reject(servers[0].error);
    });
  });
}

function describeMongoError(err: unknown, MongoServerError: typeof import('mongodb').MongoServerError, commandName: string, url: string): string {
  if (err instanceof MongoServerError) {
    if (err.code === 18) return `authentication failed for user '${urlUsername(url, '')}'`;
    return `${commandName} failed: ${err.errmsg ?? err.message}${err.codeName ? ` (${err.codeName})` : ''}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return describeEmbeddedNetworkError(message) ?? describeNetworkError(err);
}
