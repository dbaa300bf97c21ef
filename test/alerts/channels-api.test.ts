import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/alerts/test-support/webhook-receiver.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('notification channels API', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  const base = '/api/v1';
  before(async () => {
    receiver = await startWebhookReceiver();
    server = await startTestServer({ env: { DATA_DIR: mkdtempSync(join(tmpdir(), 'tocsin-alerts-')), TOCSIN_PUBLIC_URL: 'https://status.example' } });
    assert.equal((await server.request('POST', `${base}/namespaces`, { body: { slug: 'acme', name: 'Acme' } })).status, 201);
    assert.equal((await server.request('POST', `${base}/namespaces`, { body: { slug: 'other', name: 'Other' } })).status, 201);
    assert.equal((await server.request('POST', `${base}/namespaces/acme/projects`, { body: { slug: 'jobs', name: 'Jobs' } })).status, 201);
  });
  after(async () => {
    await server.stop();
    await receiver.close();
  });

  const createHook = async (name: string, extra: Record<string, unknown> = {}) => {
    const res = await server.request('POST', `${base}/namespaces/acme/channels`, {
      body: { name, type: 'webhook', config: { url: `${receiver.url}?${name}`, secret: 'signing-secret-1' }, ...extra },
    });
    assert.equal(res.status, 201, res.text);
    return res.body;
  };

  it('creates a channel and never answers its secrets; "********" sent back keeps them', async () => {
    const channel = await createHook('ops', { events: ['down', 'up'], reminderInterval: '30m' });
    assert.deepEqual(channel.config, { url: '********', secret: '********' });
    assert.deepEqual(channel.events, ['down', 'up']);
    assert.equal(channel.reminderIntervalMs, 30 * 60_000);
    assert.deepEqual(channel.flapping, { changes: 5, windowMs: 600_000 });
    assert.equal(channel.heartbeatRule, 'missme');
    const read = await server.request('GET', `${base}/channels/${channel.id}`);
    assert.ok(!read.text.includes('signing-secret-1') && !read.text.includes(receiver.url));
    const list = await server.request('GET', `${base}/namespaces/acme/channels`);
    assert.ok(!list.text.includes('signing-secret-1'));
    const patched = await server.request('PATCH', `${base}/channels/${channel.id}`, { body: { config: { url: '********', secret: '********' }, reminderInterval: null } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.reminderIntervalMs, null);
    const test = await server.request('POST', `${base}/channels/${channel.id}/test`);
    assert.equal(test.status, 200, test.text);
    assert.equal(test.body.ok, true);
    const hook = receiver.hooks.find((h) => h.path.includes('ops'))!;
    const raw = JSON.stringify(hook.body);
    const expected = `sha256=${createHmac('sha256', 'signing-secret-1').update(`${hook.headers['x-tocsin-timestamp']}.${raw}`).digest('hex')}`;
    assert.equal(hook.headers['x-tocsin-signature'], expected, 'the kept secret still signs');
    assert.equal(hook.body.event.kind, 'test');
  });

  it('lists the notifier types with their secret fields and config schema', async () => {
    const res = await server.request('GET', `${base}/notifier-types`);
    assert.equal(res.status, 200, res.text);
    const webhook = res.body.items.find((t: any) => t.type === 'webhook');
    assert.deepEqual(webhook.secretFields, ['url', 'headers', 'secret']);
    assert.equal(webhook.configSchema.type, 'object');
    assert.ok(res.body.items.some((t: any) => t.type === 'slack'));
  });

  it('rejects an invalid config, an unknown type and a duplicate name', async () => {
    const bad = await server.request('POST', `${base}/namespaces/acme/channels`, { body: { name: 'x', type: 'webhook', config: { url: 'not a url' } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'validation_failed');
    assert.match(bad.body.error.details[0].path, /^\/config\/url/);
    const unknown = await server.request('POST', `${base}/namespaces/acme/channels`, { body: { name: 'y', type: 'pigeon', config: {} } });
    assert.equal(unknown.status, 400);
    await createHook('dup');
    assert.equal((await server.request('POST', `${base}/namespaces/acme/channels`, { body: { name: 'dup', type: 'webhook', config: { url: receiver.url } } })).status, 409);
  });

  it('attaches routes inside the channel namespace only, and detaches them', async () => {
    const channel = await createHook('routed');
    const route = await server.request('POST', `${base}/channels/${channel.id}/routes`, { body: { path: 'acme/jobs', tags: ['prod'] } });
    assert.equal(route.status, 201, route.text);
    assert.deepEqual([route.body.path, route.body.tags], ['acme/jobs', ['prod']]);
    assert.equal((await server.request('POST', `${base}/channels/${channel.id}/routes`, { body: { path: 'other' } })).status, 400);
    assert.equal((await server.request('POST', `${base}/channels/${channel.id}/routes`, { body: { path: 'acme/nope' } })).status, 404);
    assert.deepEqual((await server.request('GET', `${base}/channels/${channel.id}`)).body.routes.map((r: any) => r.path), ['acme/jobs']);
    assert.equal((await server.request('DELETE', `${base}/channels/${channel.id}/routes/${route.body.id}`)).status, 204);
    assert.deepEqual((await server.request('GET', `${base}/channels/${channel.id}`)).body.routes, []);
  });

  it('a failing test send answers the error, shows it on the channel and in the deliveries', async () => {
    receiver.respond((hook) => (hook.path.includes('broken') ? { status: 403, body: '{"error":"bad token"}' } : { status: 200 }));
    const channel = await createHook('broken');
    const test = await server.request('POST', `${base}/channels/${channel.id}/test`);
    assert.equal(test.body.ok, false);
    assert.equal(test.body.statusCode, 403);
    assert.equal(test.body.permanent, true);
    const read = await server.request('GET', `${base}/channels/${channel.id}`);
    assert.match(read.body.lastError, /HTTP 403/);
    const deliveries = await server.request('GET', `${base}/channels/${channel.id}/deliveries`);
    assert.equal(deliveries.status, 200, deliveries.text);
    assert.equal(deliveries.body.items[0].status, 'failed');
    assert.equal(deliveries.body.items[0].attemptLog[0].statusCode, 403);
    receiver.respond(() => ({ status: 200 }));
  });

  it('needs the editor role to write and hides channels of other namespaces', async () => {
    const channel = await createHook('guarded');
    assert.equal((await server.request('PATCH', `${base}/channels/${channel.id}`, { body: { enabled: false }, key: server.readKey })).status, 403);
    assert.equal((await server.request('POST', `${base}/channels/${channel.id}/test`, { key: server.readKey })).status, 403);
    assert.equal((await server.request('GET', `${base}/channels/${channel.id}`, { key: null })).status, 401);
    assert.equal((await server.request('DELETE', `${base}/channels/${channel.id}`)).status, 204);
    assert.equal((await server.request('GET', `${base}/channels/${channel.id}`)).status, 404);
  });

  it('end to end: a heartbeat that goes missing alerts once (not when late), and once when back', async () => {
    const channel = await createHook('e2e', { events: ['down', 'up', 'late', 'reminder'] });
    assert.equal((await server.request('POST', `${base}/channels/${channel.id}/routes`, { body: { path: 'acme/jobs' } })).status, 201);
    const svc = await server.request('POST', `${base}/namespaces/acme/projects/jobs/services`, {
      body: { slug: 'backup', name: 'Nightly backup', type: 'heartbeat', config: { schedule: 'period', period: '1s', grace: '1s' } },
    });
    assert.equal(svc.status, 201, svc.text);
    const token = 'e2e-token-abc123';
    assert.equal((await server.request('POST', `${base}/services/${svc.body.id}/check-in/ping-token`, { body: { token } })).status, 200);
    assert.equal((await server.request('GET', `/ping/${token}`, { key: null })).status, 200);
    const [down] = await receiver.waitFor(1, (h) => h.path.includes('e2e'), 8000);
    assert.equal(down.body.event.kind, 'down');
    assert.equal(down.body.event.service.path, 'acme/jobs/backup');
    assert.equal(down.body.event.link, 'https://status.example/services/acme/jobs/backup');
    assert.equal((await server.request('GET', `/ping/${token}`, { key: null })).status, 200);
    const hooks = await receiver.waitFor(2, (h) => h.path.includes('e2e'), 5000);
    assert.equal(hooks[1].body.event.kind, 'up');
    assert.ok(hooks[1].body.event.incident.durationMs > 0);
    assert.match(hooks[1].body.message.text, /is back up after being down for/);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(receiver.hooks.filter((h) => h.path.includes('e2e')).map((h) => h.body.event.kind), ['down', 'up']);
  });
});
