// Delivery survives a crash: the server is killed with SIGKILL after a state change was committed
// and before its notification got through; a new instance on the same database sends it, once.
// The restarted instance runs in this process (one slow process start less).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildContext } from '../../src/app/build-context.js';
import { serve, type RunningTocsin } from '../../src/app/serve.js';
import { readSettings } from '../../src/config/settings.js';
import { silentLogger } from '../../src/logger.js';
import { createTestStore } from '../../src/store/test-support/databases.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/alerts/test-support/webhook-receiver.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';

describe('notifications across kill -9 and restart', () => {
  let db: Awaited<ReturnType<typeof createTestStore>>;
  let receiver: WebhookReceiver;
  let apiKey: string;
  const servers: ServerProcess[] = [];
  let restarted: RunningTocsin | undefined;
  let env: Record<string, string>;

  before(async () => {
    db = await createTestStore('sqlite');
    receiver = await startWebhookReceiver();
    const ctx = buildContext(readSettings({ DATABASE_URL: db.url, LOG_FORMAT: 'json' }), db.store, silentLogger());
    const admin = (await ctx.auth.bootstrapAdmin('admin@example.com', 'correct horse battery'))!;
    apiKey = (await ctx.auth.createApiKey({ userId: admin.id, name: 'kill-test', scope: 'write' })).key;
    await db.store.close();
    env = { DATABASE_URL: db.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'tocsin-kill-')), TOCSIN_SECRET_KEY: 'a shared secret key for both processes' };
  });
  after(async () => {
    for (const server of servers) await server.kill('SIGKILL');
    await restarted?.stop();
    await receiver.close();
    await db.drop().catch(() => undefined);
  });

  const call = async (server: { url: string }, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method, headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };

  it('a notification pending when the process is killed is sent exactly once after restart', async () => {
    // The first delivery attempt fails (503, retry in 1 s); the process is killed right then.
    receiver.respond((_hook, index) => (index === 0 ? { status: 503, body: 'busy', headers: { 'retry-after': '1' } } : { status: 200 }));
    const first = await spawnServer(env);
    servers.push(first);
    await call(first, 'POST', '/api/v1/namespaces', { slug: 'acme', name: 'Acme' });
    await call(first, 'POST', '/api/v1/namespaces/acme/projects', { slug: 'jobs', name: 'Jobs' });
    const channel = await call(first, 'POST', '/api/v1/namespaces/acme/channels', { name: 'ops', type: 'webhook', config: { url: receiver.url } });
    await call(first, 'POST', `/api/v1/channels/${channel.id}/routes`, { path: 'acme' });
    const svc = await call(first, 'POST', '/api/v1/namespaces/acme/projects/jobs/services', {
      slug: 'backup', name: 'Backup', type: 'heartbeat', config: { schedule: 'period', period: '1s', grace: '1s' },
    });
    await call(first, 'POST', `/api/v1/services/${svc.id}/check-in/ping-token`, { token: 'kill-test-token' });
    assert.equal((await fetch(`${first.url}/ping/kill-test-token`)).status, 200);

    await receiver.waitFor(1, undefined, 10_000);
    // Kill once the failed attempt is on record: the row waits in the outbox for its retry.
    for (let i = 0; ; i++) {
      const log = await call(first, 'GET', `/api/v1/channels/${channel.id}/deliveries`);
      if (log.items[0]?.status === 'pending' && log.items[0].attempts === 1) break;
      assert.ok(i < 100, 'the failed attempt was never recorded');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(await first.kill('SIGKILL'), null, 'killed by a signal, no clean shutdown');
    assert.equal(receiver.accepted().length, 0, 'nothing delivered before the crash');

    restarted = await serve(readSettings({ ...env, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', LOG_LEVEL: 'silent' }), silentLogger());
    const second = { url: restarted.url };
    await receiver.waitFor(2, undefined, 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(receiver.hooks.length, 2, 'one failed attempt before the crash, one after');
    assert.equal(receiver.accepted().length, 1, 'delivered exactly once');
    assert.equal(receiver.hooks[0].key, receiver.hooks[1].key, 'the same notification');
    assert.equal(receiver.accepted()[0].body.event.kind, 'down');
    const deliveries = await call(second, 'GET', `/api/v1/channels/${channel.id}/deliveries`);
    assert.equal(deliveries.items.length, 1);
    assert.equal(deliveries.items[0].status, 'sent');
    assert.deepEqual(deliveries.items[0].attemptLog.map((a: { statusCode: number }) => a.statusCode), [503, 200]);
  });
});
