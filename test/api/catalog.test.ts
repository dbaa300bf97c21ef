import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('catalog API: by id and by path, filters, pagination, history', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await server.request('POST', '/api/v1/namespaces', { body: { slug: 'acme', name: 'Acme' } });
    await server.request('POST', '/api/v1/namespaces/acme/projects', { body: { slug: 'web', name: 'Web' } });
  });
  after(async () => { await server.stop(); });

  it('updates and deletes by path and by id', async () => {
    const created = await server.request('POST', '/api/v1/namespaces/acme/projects/web/services', { body: { slug: 'api', name: 'API', type: 'tcp', config: { host: '127.0.0.1', port: 9 }, interval: '1m', paused: true } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.state, 'paused');
    const renamed = await server.request('PATCH', '/api/v1/namespaces/acme/projects/web/services/api', { body: { name: 'Public API', retries: 2 } });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.retries, 2);
    const resumed = await server.request('POST', `/api/v1/services/${created.body.id}/resume`);
    assert.equal(resumed.body.state, 'unknown');
    const events = await server.request('GET', `/api/v1/services/${created.body.id}/events`);
    assert.deepEqual(events.body.items.map((e: { toState: string }) => e.toState), ['unknown']);
    const project = await server.request('PATCH', '/api/v1/namespaces/acme/projects/web', { body: { description: 'The website' } });
    assert.equal(project.body.description, 'The website');
    assert.equal((await server.request('DELETE', `/api/v1/services/${created.body.id}`)).status, 204);
    assert.equal((await server.request('GET', '/api/v1/namespaces/acme/projects/web/services/api')).status, 404);
  });

  it('filters and pages service lists', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await server.request('POST', '/api/v1/namespaces/acme/projects/web/services', { body: { slug: `hb${i}`, name: `HB ${i}`, type: 'heartbeat', config: { schedule: 'period', period: '5m' }, tags: i < 2 ? ['db'] : [] } });
      assert.equal(r.status, 201, r.text);
    }
    const page = await server.request('GET', '/api/v1/services?limit=2&offset=2&kind=heartbeat');
    assert.equal(page.body.total, 5);
    assert.deepEqual(page.body.items.map((s: { slug: string }) => s.slug), ['hb2', 'hb3']);
    const tagged = await server.request('GET', '/api/v1/services?tag=db&namespace=acme');
    assert.equal(tagged.body.total, 2);
    const bad = await server.request('GET', '/api/v1/services?state=sleepy');
    assert.equal(bad.status, 400);
  });

  it('pages incidents and results with cursors', async () => {
    const svc = (await server.request('GET', '/api/v1/paths/acme/web/hb0')).body.item;
    const ctx = server.running.ctx;
    const full = (await ctx.data.repos.services.findById(svc.id))!;
    for (let i = 0; i < 3; i++) {
      await ctx.data.transaction(async (repos, trx) => {
        await ctx.transitions.record({ service: full, from: 'up', to: 'down', at: 1000 + i * 100, cause: `outage ${i}`, openIncident: true }, repos, trx);
        await ctx.transitions.record({ service: full, from: 'down', to: 'up', at: 1050 + i * 100, cause: null, resolveIncident: true }, repos, trx);
      });
    }
    await ctx.data.repos.results.insertMany([1, 2, 3].map((i) => ({ serviceId: svc.id, at: i * 1000, up: i !== 2, latencyMs: i * 10, detail: null })));
    const first = await server.request('GET', `/api/v1/incidents?service=${svc.id}&limit=2`);
    assert.equal(first.body.items.length, 2);
    assert.equal(first.body.items[0].cause, 'outage 2');
    assert.equal(first.body.items[0].durationMs, 50);
    const second = await server.request('GET', `/api/v1/incidents?service=${svc.id}&limit=2&cursor=${first.body.nextCursor}`);
    assert.deepEqual(second.body.items.map((i: { cause: string }) => i.cause), ['outage 0']);
    const one = await server.request('GET', `/api/v1/incidents/${first.body.items[0].id}`);
    assert.deepEqual(one.body.updates.map((u: { status: string }) => u.status), ['opened', 'resolved']);
    const down = await server.request('GET', `/api/v1/services/${svc.id}/results?up=false`);
    assert.deepEqual(down.body.items.map((r: { latencyMs: number }) => r.latencyMs), [20]);
    assert.equal((await server.request('GET', `/api/v1/incidents?cursor=garbage`)).status, 400);
  });
});
