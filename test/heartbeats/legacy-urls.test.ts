// Missme's /notify/<id>, statuspage's /refresh/<id> (from the seed's own config.yml and curl
// lines) and Uptime Kuma's /api/push/<token>, against a running server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { importStatuspage } from '../../src/importers/statuspage/import-statuspage.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { seedConfig, seedToken } from './seed-statuspage.js';
import { checkIn, createHeartbeat, createProject, serviceState } from './support.js';

describe('legacy check-in URLs', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await createProject(server);
  });
  after(async () => { await server.stop(); });

  it('statuspage: the seed config.yml imports; its curl examples answer {"refreshed": 1} and {"refreshed": 2}', async () => {
    const result = await importStatuspage(server.running.ctx, seedConfig, { namespace: 'nipe', project: 'status' });
    assert.equal(result.services.length, 5);
    assert.deepEqual(result.statusPage, { slug: 'status', created: true });
    const dns = await checkIn(server, '/refresh/dns', { headers: { 'X-Token': seedToken } });
    assert.equal(dns.status, 200);
    assert.equal(dns.text, '{"refreshed": 1}');
    assert.match(dns.headers.get('content-type')!, /^application\/json/);
    const http = await checkIn(server, '/refresh/http', { headers: { 'X-Token': seedToken } });
    assert.equal(http.text, '{"refreshed": 2}');
    assert.equal((await checkIn(server, '/refresh/mail', { method: 'POST', headers: { 'X-Token': seedToken } })).text, '{"refreshed": 1}');
    assert.equal((await checkIn(server, '/refresh/mail', { method: 'HEAD', headers: { 'X-Token': seedToken } })).status, 200);
    const services = await server.request('GET', '/api/v1/namespaces/nipe/projects/status/services');
    const byslug = Object.fromEntries(services.body.items.map((s: { slug: string; state: string; config: unknown }) => [s.slug, s]));
    assert.equal(byslug['somegroup-http'].state, 'up');
    assert.equal(byslug['group-2-http'].state, 'up');
    assert.equal(byslug['somegroup-dns'].state, 'up');
    assert.equal(byslug['somegroup-mail'].state, 'up');
    assert.equal(byslug['group-2-dns-internal'].state, 'unknown');
    assert.deepEqual(byslug['somegroup-mail'].config, { schedule: 'period', period: 60, grace: 0 });
    // The groups became a status page that shows the items by group.
    const page = await checkIn(server, '/status/status/data.json');
    assert.equal(page.status, 200, page.text);
    assert.match(page.text, /NIPE-SYSTEMS/);
    assert.match(page.text, /Group #2/);
    // Importing again updates in place.
    const again = await importStatuspage(server.running.ctx, seedConfig, { namespace: 'nipe', project: 'status' });
    assert.ok(again.services.every((s) => !s.created));
    assert.equal(again.statusPage.created, false);

    assert.equal((await checkIn(server, '/refresh/dns', { headers: { 'X-Token': 'wrong' } })).status, 401);
    const missing = await checkIn(server, '/refresh/dns');
    assert.equal(missing.status, 401);
    assert.match(missing.body.error.message, /X-Token/);
    assert.equal((await checkIn(server, '/refresh/nope', { headers: { 'X-Token': seedToken } })).status, 404);
    assert.equal((await checkIn(server, '/refresh/bad%20id', { headers: { 'X-Token': seedToken } })).status, 400);
  });

  it('Missme: the API shows id, key and curl; GET /notify/<id> with x-api-key answers 204', async () => {
    const hb = await createHeartbeat(server, 'missme-job', { schedule: 'missme', every: 'hours 4', threshold: 2 });
    const rotated = await server.request('POST', `/api/v1/services/${hb.id}/check-in/rotate-key`);
    assert.equal(rotated.status, 200, rotated.text);
    const { key, info } = rotated.body;
    assert.equal(info.missme.id, hb.id);
    assert.equal(info.missme.curl, `curl -H "x-api-key: ${key}" ${server.running.ctx.settings.publicUrl}/notify/${hb.id}`);
    const later = await server.request('GET', `/api/v1/services/${hb.id}/check-in`);
    assert.equal(later.body.missme.keySet, true);
    assert.ok(!later.text.includes(key), 'the key is only shown once');

    const ok = await checkIn(server, `/notify/${hb.id}`, { headers: { 'x-api-key': key } });
    assert.equal(ok.status, 204);
    assert.equal(ok.text, '');
    assert.equal(await serviceState(server, hb.id), 'up');
    for (const method of ['HEAD', 'POST']) {
      assert.equal((await checkIn(server, `/notify/${hb.id}`, { method, headers: { 'x-api-key': key } })).status, 204, method);
    }
    const pings = await server.request('GET', `/api/v1/services/${hb.id}/pings`);
    assert.equal(pings.body.items.length, 3);
    assert.equal((await checkIn(server, `/notify/${hb.id}`, { headers: { 'x-api-key': 'nope' } })).status, 401);
    assert.equal((await checkIn(server, `/notify/${hb.id}`)).status, 401);
    assert.equal((await checkIn(server, '/notify/00000000-0000-0000-0000-000000000000', { headers: { 'x-api-key': key } })).status, 404);

    // Migrating Missme users keep their own id and key.
    const kept = await server.request('POST', `/api/v1/services/${hb.id}/check-in/rotate-key`, { body: { key: 'MyOldMissmeKey0123456789', legacyId: 'abc-123' } });
    assert.equal(kept.status, 200, kept.text);
    assert.equal((await checkIn(server, '/notify/abc-123', { headers: { 'x-api-key': 'MyOldMissmeKey0123456789' } })).status, 204);
    assert.equal((await checkIn(server, `/notify/${hb.id}`, { headers: { 'x-api-key': 'MyOldMissmeKey0123456789' } })).status, 404);
  });

  it('Uptime Kuma push: status=up|down, msg and ping; a kept Kuma token works', async () => {
    const hb = await createHeartbeat(server, 'kuma', { schedule: 'period', period: '1m' });
    const up = await checkIn(server, `/api/push/${hb.token}?status=up&msg=OK&ping=42`);
    assert.equal(up.status, 200);
    assert.deepEqual(up.body, { ok: true });
    let svc = await server.request('GET', `/api/v1/services/${hb.id}`);
    assert.equal(svc.body.state, 'up');
    assert.equal(svc.body.lastLatencyMs, 42);
    assert.equal(svc.body.lastDetail, 'OK');
    assert.deepEqual((await checkIn(server, `/api/push/${hb.token}?status=down&msg=disk%20full`, { method: 'POST' })).body, { ok: true });
    svc = await server.request('GET', `/api/v1/services/${hb.id}`);
    assert.equal(svc.body.state, 'down');
    assert.equal(svc.body.lastDetail, 'disk full');
    assert.equal((await checkIn(server, `/api/push/${hb.token}?status=sideways`)).status, 400);
    for (const ping of ['fast', '-1', '%20', '0x10', '1e3', '86400001', '1e300']) {
      const res = await checkIn(server, `/api/push/${hb.token}?ping=${ping}`);
      assert.equal(res.status, 400, `ping=${ping}`);
      assert.match(res.body.error.message, /ping must be a number of milliseconds from 0 to 86400000/);
    }
    assert.deepEqual((await checkIn(server, `/api/push/${hb.token}?ping=12.5`)).body, { ok: true });
    const unknown = await checkIn(server, '/api/push/NoSuchToken1');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.ok, false);

    const set = await server.request('POST', `/api/v1/services/${hb.id}/check-in/ping-token`, { body: { token: 'KumaToken42' } });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.kumaPushUrl, `${server.running.ctx.settings.publicUrl}/api/push/KumaToken42?status=up&msg=OK&ping=`);
    assert.deepEqual((await checkIn(server, '/api/push/KumaToken42?status=up&msg=OK&ping=')).body, { ok: true });
    assert.equal(await serviceState(server, hb.id), 'up');
    const other = await createHeartbeat(server, 'kuma-2', { schedule: 'period', period: '1m' });
    const taken = await server.request('POST', `/api/v1/services/${other.id}/check-in/ping-token`, { body: { token: 'KumaToken42' } });
    assert.equal(taken.status, 409);
  });

  it('check-in management routes need credentials and the editor role', async () => {
    const hb = await createHeartbeat(server, 'guarded', { schedule: 'period', period: '1m' });
    assert.equal((await server.request('GET', `/api/v1/services/${hb.id}/check-in`, { key: null })).status, 401);
    assert.equal((await server.request('POST', `/api/v1/services/${hb.id}/check-in/rotate-key`, { key: server.readKey })).status, 403);
    assert.equal((await server.request('GET', '/api/v1/services/00000000-0000-0000-0000-000000000000/check-in')).status, 404);
  });
});
