// Through the real HTTP API of a running Tocsin: service changes take effect at once on the
// scheduler, and maintenance windows are managed with authentication and validation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { httpTarget, sleep, waitFor, type HttpTarget } from './support.js';

describe('scheduler through the API', () => {
  let server: TestServer;
  let target: HttpTarget;
  before(async () => {
    server = await startTestServer();
    target = await httpTarget();
    await server.request('POST', '/api/v1/namespaces', { body: { name: 'Acme' } });
    await server.request('POST', '/api/v1/namespaces/acme/projects', { body: { slug: 'web', name: 'Web' } });
  });
  after(async () => { await server.stop(); await target.close(); });

  const hitsSince = (path: string, t: number) => target.hits(path).filter((h) => h >= t).length;

  it('update, pause, resume and delete take effect at once', async () => {
    const created = await server.request('POST', '/api/v1/namespaces/acme/projects/web/services', {
      body: { slug: 'api', name: 'API', type: 'http', config: { url: `${target.url}/api` }, interval: 1, timeout: 0.5 },
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as string;
    await waitFor(() => target.hits('/api').length >= 2, 4000, 'checks at 1 s');

    const patched = await server.request('PATCH', `/api/v1/services/${id}`, { body: { interval: 3 } });
    assert.equal(patched.status, 200, patched.text);
    let t = Date.now();
    await sleep(2000);
    assert.ok(hitsSince('/api', t) <= 1, `at most one run in 2 s at a 3 s interval (got ${hitsSince('/api', t)})`);

    assert.equal((await server.request('POST', `/api/v1/services/${id}/pause`)).status, 200);
    t = Date.now();
    await sleep(2000);
    assert.equal(hitsSince('/api', t + 100), 0, 'no run while paused');

    await server.request('PATCH', `/api/v1/services/${id}`, { body: { interval: 1 } });
    assert.equal((await server.request('POST', `/api/v1/services/${id}/resume`)).status, 200);
    t = Date.now();
    await waitFor(() => hitsSince('/api', t) >= 1, 3000, 'runs again after resume');

    assert.equal((await server.request('DELETE', `/api/v1/services/${id}`)).status, 204);
    t = Date.now();
    await sleep(1500);
    assert.equal(hitsSince('/api', t + 100), 0, 'no run after delete');
  });

  it('manages maintenance windows: create, read, update, delete, with auth and validation', async () => {
    assert.equal((await server.request('GET', '/api/v1/maintenance-windows', { key: null })).status, 401);
    const body = { title: 'Weekly upgrade', target: 'acme/web', cron: '0 2 * * 0', duration: '2h', timeZone: 'Europe/Paris' };
    assert.equal((await server.request('POST', '/api/v1/maintenance-windows', { body, key: server.readKey })).status, 403);
    const created = await server.request('POST', '/api/v1/maintenance-windows', { body });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.scope, 'project');
    assert.equal(created.body.target, 'acme/web');
    assert.equal(created.body.durationMs, 7_200_000);
    assert.ok(created.body.next.start > Date.now() && created.body.next.end - created.body.next.start === 7_200_000);

    for (const bad of [
      { ...body, cron: 'every sunday' },
      { ...body, timeZone: 'Mars/Olympus' },
      { title: 'x', target: 'acme' },
      { title: 'x', target: 'acme', startsAt: '2026-01-02T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' },
      { ...body, extra: 1 },
    ]) {
      const res = await server.request('POST', '/api/v1/maintenance-windows', { body: bad });
      assert.equal(res.status, 400, `${JSON.stringify(bad)} → ${res.text}`);
    }
    assert.equal((await server.request('POST', '/api/v1/maintenance-windows', { body: { ...body, target: 'acme/nope' } })).status, 404);

    const now = Date.now();
    const oneOff = await server.request('POST', '/api/v1/maintenance-windows', {
      body: { title: 'Now', target: 'acme', startsAt: new Date(now - 1000).toISOString(), endsAt: now + 3_600_000 },
    });
    assert.equal(oneOff.status, 201, oneOff.text);
    assert.equal(oneOff.body.activeNow, true);

    const list = await server.request('GET', '/api/v1/maintenance-windows?namespace=acme');
    assert.equal(list.body.items.length, 2);
    const updated = await server.request('PATCH', `/api/v1/maintenance-windows/${created.body.id}`, { body: { cron: null, startsAt: now + 60_000, endsAt: now + 120_000 } });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.cron, null);
    assert.equal(updated.body.timeZone, null);
    assert.equal((await server.request('DELETE', `/api/v1/maintenance-windows/${created.body.id}`)).status, 204);
    assert.equal((await server.request('GET', `/api/v1/maintenance-windows/${created.body.id}`)).status, 404);
  });
});
