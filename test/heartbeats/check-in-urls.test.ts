import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { checkIn, createHeartbeat, createProject, serviceState, type Heartbeat } from './support.js';

describe('heartbeat check-in URLs', () => {
  let server: TestServer;
  let hb: Heartbeat;
  before(async () => {
    server = await startTestServer({ env: { TOCSIN_PING_BODY_LIMIT: '16' } });
    await createProject(server);
    hb = await createHeartbeat(server, 'backup', { schedule: 'period', period: '1h', grace: '10m' });
  });
  after(async () => { await server.stop(); });

  it('GET, HEAD and POST /ping/<uuid> check in; unknown → up', async () => {
    assert.equal(await serviceState(server, hb.id), 'unknown');
    assert.match(hb.token, /^[0-9a-f-]{36}$/);
    for (const method of ['GET', 'HEAD', 'POST']) {
      const res = await checkIn(server, `/ping/${hb.token}`, { method });
      assert.equal(res.status, 200, `${method}: ${res.text}`);
    }
    assert.equal(await serviceState(server, hb.id), 'up');
    const pings = await server.request('GET', `/api/v1/services/${hb.id}/pings`);
    assert.equal(pings.body.items.length, 3);
    assert.deepEqual(pings.body.items.map((p: { kind: string }) => p.kind), ['success', 'success', 'success']);
  });

  it('keeps the body as the log, truncated to TOCSIN_PING_BODY_LIMIT', async () => {
    const res = await checkIn(server, `/ping/${hb.token}/log`, { method: 'POST', body: 'line one\nline two is long', headers: { 'content-type': 'text/plain' } });
    assert.equal(res.status, 200, res.text);
    const json = await checkIn(server, `/ping/${hb.token}/log`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    assert.equal(json.status, 200, json.text);
    const pings = await server.request('GET', `/api/v1/services/${hb.id}/pings?limit=2`);
    assert.equal(pings.body.items[0].body, '{"a":1}');
    assert.equal(pings.body.items[1].body, 'line one\nline tw');
    assert.equal(pings.body.items[1].kind, 'log');
  });

  it('start then success records the run duration; fail and exit statuses go down and back up', async () => {
    assert.equal((await checkIn(server, `/ping/${hb.token}/start`)).status, 200);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal((await checkIn(server, `/ping/${hb.token}/0`)).status, 200);
    const pings = await server.request('GET', `/api/v1/services/${hb.id}/pings?limit=1`);
    assert.equal(pings.body.items[0].kind, 'exit');
    assert.equal(pings.body.items[0].exitStatus, 0);
    assert.ok(pings.body.items[0].durationMs >= 30, JSON.stringify(pings.body.items[0]));
    assert.equal(await serviceState(server, hb.id), 'up');

    assert.equal((await checkIn(server, `/ping/${hb.token}/3`)).status, 200);
    assert.equal(await serviceState(server, hb.id), 'down');
    const svc = await server.request('GET', `/api/v1/services/${hb.id}`);
    assert.equal(svc.body.lastDetail, 'exit status 3');
    assert.equal((await checkIn(server, `/ping/${hb.token}`)).status, 200);
    assert.equal(await serviceState(server, hb.id), 'up');
    assert.equal((await checkIn(server, `/ping/${hb.token}/fail`, { method: 'POST' })).status, 200);
    assert.equal(await serviceState(server, hb.id), 'down');
    assert.equal((await checkIn(server, `/ping/${hb.token}`)).status, 200);
    assert.equal(await serviceState(server, hb.id), 'up');
  });

  it('a log-only ping does not change the state', async () => {
    assert.equal((await checkIn(server, `/ping/${hb.token}/fail`)).status, 200);
    assert.equal((await checkIn(server, `/ping/${hb.token}/log`)).status, 200);
    assert.equal(await serviceState(server, hb.id), 'down');
    await checkIn(server, `/ping/${hb.token}`);
  });

  it('slug form with the project ping key, and ?create=1', async () => {
    const key = await server.request('POST', '/api/v1/namespaces/acme/projects/jobs/ping-key');
    assert.equal(key.status, 200, key.text);
    const pingKey = key.body.pingKey as string;
    const shown = await server.request('GET', '/api/v1/namespaces/acme/projects/jobs/ping-key');
    assert.equal(shown.body.pingKey, pingKey);
    assert.equal((await checkIn(server, `/ping/${pingKey}/backup`)).status, 200);
    assert.equal((await checkIn(server, `/ping/${pingKey}/backup/start`)).status, 200);
    assert.equal((await checkIn(server, `/ping/${pingKey}/backup/0`, { method: 'POST' })).status, 200);
    const missing = await checkIn(server, `/ping/${pingKey}/new-job`);
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, /create=1/);
    const made = await checkIn(server, `/ping/${pingKey}/new-job?create=1`);
    assert.equal(made.status, 201, 'created, as Healthchecks answers');
    assert.equal(made.text, 'Created');
    const again = await checkIn(server, `/ping/${pingKey}/new-job?create=1`);
    assert.equal(again.status, 200);
    assert.equal(again.text, 'OK');
    const created = await server.request('GET', '/api/v1/namespaces/acme/projects/jobs/services/new-job');
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.kind, 'heartbeat');
    assert.equal(created.body.state, 'up');
    const info = await server.request('GET', `/api/v1/services/${hb.id}/check-in`);
    assert.equal(info.body.slugUrl, `${server.running.ctx.settings.publicUrl}/ping/${pingKey}/backup`);
  });

  it('answers 404 for unknown tokens and 400 for malformed ones, never 500', async () => {
    assert.equal((await checkIn(server, '/ping/00000000-0000-0000-0000-000000000000')).status, 404);
    assert.equal((await checkIn(server, `/ping/${hb.token}/256`)).status, 400);
    assert.equal((await checkIn(server, `/ping/${hb.token}/backup/nope`)).status, 400);
    assert.equal((await checkIn(server, '/ping/bad%20token')).status, 400);
    assert.equal((await checkIn(server, '/ping/unknown-key/Bad Slug')).status, 400);
    assert.equal((await checkIn(server, '/ping/unknown-key/some-slug')).status, 404);
  });

  it('odd requests get 4xx answers, never a 500', async () => {
    const long = 'x'.repeat(300);
    const cases: [string, string, Record<string, string>?, string?][] = [
      ['POST', `/ping/${hb.token}`, { 'content-type': 'application/json' }, '{not json'],
      ['POST', `/ping/${hb.token}`, { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1&b'],
      ['POST', `/ping/${hb.token}`, { 'content-type': 'multipart/form-data; boundary=x' }, '--x\r\n'],
      ['GET', `/ping/${long}`],
      ['GET', `/ping/${hb.token}/-1`],
      ['GET', `/ping/${hb.token}/1.5`],
      ['GET', `/ping/a/b/c/d`],
      ['GET', '/notify/%00', { 'x-api-key': 'k' }],
      ['GET', `/notify/${long}`, { 'x-api-key': 'k' }],
      ['GET', '/refresh/x', { 'x-token': '' }],
      ['GET', '/api/push/%20'],
      ['GET', `/api/push/${hb.token}?status=up&ping=1e400`],
      ['PUT', `/ping/${hb.token}`],
    ];
    for (const [method, path, headers, body] of cases) {
      const res = await checkIn(server, path, { method, headers, body });
      // Any body is a log: odd content types are still check-ins.
      const expected = body !== undefined ? res.status === 200 : res.status >= 400 && res.status < 500;
      assert.ok(expected, `${method} ${path}: ${res.status} ${res.text}`);
    }
    const big = await checkIn(server, `/ping/${hb.token}`, { method: 'POST', body: 'y'.repeat(2 * 1024 * 1024) });
    assert.equal(big.status, 413);
  });
});

describe('?create=1 past TOCSIN_AUTO_CREATE_LIMIT', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { TOCSIN_AUTO_CREATE_LIMIT: '3' } });
    await createProject(server);
    await createHeartbeat(server, 'made-by-hand', { schedule: 'period', period: '1h', grace: '10m' });
  });
  after(async () => { await server.stop(); });

  it('creates services until the project holds the limit, then answers 403 and creates nothing', async () => {
    const key = await server.request('POST', '/api/v1/namespaces/acme/projects/jobs/ping-key');
    const pingKey = key.body.pingKey as string;
    assert.equal((await checkIn(server, `/ping/${pingKey}/host-1?create=1`)).status, 201);
    assert.equal((await checkIn(server, `/ping/${pingKey}/host-2/start?create=1`)).status, 201);
    for (const path of [`/ping/${pingKey}/host-3?create=1`, `/ping/${pingKey}/host-3/fail?create=1`]) {
      const refused = await checkIn(server, path);
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.body.error.code, 'forbidden');
      assert.match(refused.body.error.message, /already holds 3 services.*TOCSIN_AUTO_CREATE_LIMIT=3.*create "host-3" through the API/);
    }
    assert.equal((await server.request('GET', '/api/v1/namespaces/acme/projects/jobs/services/host-3')).status, 404);
    // Services that exist still take check-ins, with or without ?create=1.
    assert.equal((await checkIn(server, `/ping/${pingKey}/host-1?create=1`)).status, 200);
    assert.equal((await checkIn(server, `/ping/${pingKey}/made-by-hand`)).status, 200);
  });
});
