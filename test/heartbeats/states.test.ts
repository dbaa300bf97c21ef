// Schedules and states over HTTP against a running server, with short real periods: the
// sweeper must move services to late and down within a second of their deadlines.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { checkIn, createHeartbeat, createProject, serviceState, waitForState } from './support.js';

describe('heartbeat schedules and states', { concurrency: true }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await createProject(server);
  });
  after(async () => { await server.stop(); });

  it('period: unknown → up → late (grace) → down within a second of the deadline → up again', async () => {
    const hb = await createHeartbeat(server, 'period', { schedule: 'period', period: '1s', grace: '1s' });
    assert.equal(await serviceState(server, hb.id), 'unknown');
    const pinged = Date.now();
    assert.equal((await checkIn(server, `/ping/${hb.token}`)).status, 200);
    const afterPing = await serviceState(server, hb.id);
    // Late is marked right at the deadline: only a read within the period must say up.
    if (Date.now() - pinged < 1000) assert.equal(afterPing, 'up');
    const lateAt = await waitForState(server, hb.id, 'late');
    assert.ok(lateAt - pinged >= 1000 && lateAt - pinged < 2000, `late after ${lateAt - pinged} ms`);
    const downAt = await waitForState(server, hb.id, 'down');
    assert.ok(downAt - pinged >= 2000 && downAt - pinged < 3000, `down after ${downAt - pinged} ms`);
    const open = await server.request('GET', `/api/v1/incidents?service=${hb.id}`);
    assert.equal(open.body.items.length, 1, open.text);
    assert.equal(open.body.items[0].status, 'open');
    assert.match(open.body.items[0].cause, /no check-in since/);
    assert.equal((await checkIn(server, `/ping/${hb.token}`)).status, 200);
    assert.equal(await serviceState(server, hb.id), 'up');
    const events = await server.request('GET', `/api/v1/services/${hb.id}/events`);
    const states = events.body.items.map((e: { toState: string }) => e.toState).reverse();
    assert.deepEqual(states, ['up', 'late', 'down', 'up']);
    const resolved = await server.request('GET', `/api/v1/incidents?service=${hb.id}`);
    assert.equal(resolved.body.items[0].status, 'resolved');
  });

  it('missme: every 1s with threshold 1 stays up, is late after one miss, dead after two', async () => {
    const hb = await createHeartbeat(server, 'missme', { schedule: 'missme', every: 'seconds 1', threshold: 1 });
    const pinged = Date.now();
    await checkIn(server, `/ping/${hb.token}`);
    await waitForState(server, hb.id, 'late');
    const downAt = await waitForState(server, hb.id, 'down');
    assert.ok(downAt - pinged >= 2000 && downAt - pinged < 3000, `down after ${downAt - pinged} ms`);
  });

  it('cron: a check-in is expected at every cron time (here each second), then the grace', async () => {
    const hb = await createHeartbeat(server, 'cron', { schedule: 'cron', cron: '* * * * * *', timezone: 'Europe/Berlin', grace: '1s' });
    // Check in just after a whole second: the next cron time (late) is then most of a second away.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
    await checkIn(server, `/ping/${hb.token}`);
    assert.equal(await serviceState(server, hb.id), 'up');
    await waitForState(server, hb.id, 'late', 2000);
    await waitForState(server, hb.id, 'down', 3000);
  });

  it('start without a finish is down after maxRunTime', async () => {
    const hb = await createHeartbeat(server, 'runner', { schedule: 'period', period: '1h', maxRunTime: '1s' });
    const started = Date.now();
    await checkIn(server, `/ping/${hb.token}/start`);
    const afterStart = await serviceState(server, hb.id);
    if (Date.now() - started < 1000) assert.equal(afterStart, 'unknown');
    await waitForState(server, hb.id, 'down', 3000);
    const svc = await server.request('GET', `/api/v1/services/${hb.id}`);
    assert.equal(svc.body.state, 'down');
    await checkIn(server, `/ping/${hb.token}/0`);
    assert.equal(await serviceState(server, hb.id), 'up');
  });

  it('paused services record check-ins but stay paused; a changed schedule applies at once', async () => {
    const hb = await createHeartbeat(server, 'pausable', { schedule: 'period', period: '1h' });
    await checkIn(server, `/ping/${hb.token}`);
    const paused = await server.request('PATCH', `/api/v1/services/${hb.id}`, { body: { paused: true } });
    assert.equal(paused.status, 200, paused.text);
    assert.equal((await checkIn(server, `/ping/${hb.token}`)).status, 200);
    assert.equal(await serviceState(server, hb.id), 'paused');
    await server.request('PATCH', `/api/v1/services/${hb.id}`, { body: { paused: false } });
    await checkIn(server, `/ping/${hb.token}`);
    assert.equal(await serviceState(server, hb.id), 'up');
    // Shorten the period: the service is overdue under the new schedule and goes down promptly.
    const changed = await server.request('PATCH', `/api/v1/services/${hb.id}`, { body: { config: { schedule: 'period', period: '1s' } } });
    assert.equal(changed.status, 200, changed.text);
    await waitForState(server, hb.id, 'down', 3000);
  });

  it('rejects invalid schedules with 400', async () => {
    for (const config of [
      { schedule: 'cron', cron: 'not a cron' },
      { schedule: 'cron', cron: '0 3 * * *', timezone: 'Mars/Olympus' },
      { schedule: 'period', period: 'soon' },
      { schedule: 'missme', every: 'hours 4' },
    ]) {
      const res = await server.request('POST', '/api/v1/namespaces/acme/projects/jobs/services', { body: { name: 'bad', type: 'heartbeat', config } });
      assert.equal(res.status, 400, `${JSON.stringify(config)}: ${res.text}`);
    }
  });
});
