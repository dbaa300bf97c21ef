// Retries, incidents, upside-down mode and maintenance, through the real http checker against a
// local target whose answer the test flips; on SQLite.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MaintenanceService } from '../../src/maintenance/maintenance-service.js';
import { actor, harness, httpTarget, waitFor, type Harness, type HttpTarget } from './support.js';

describe('scheduler: state changes', () => {
  let h: Harness;
  let target: HttpTarget;
  before(async () => {
    h = await harness();
    target = await httpTarget();
    await h.startScheduler({ spreadMs: 1 });
  });
  after(async () => { await h.close(); await target.close(); });

  const state = async (id: string) => (await h.ctx.data.repos.services.findById(id))!.state;
  const events = async (id: string) => (await h.ctx.data.repos.events.listForService(id, { limit: 50 })).reverse().map((e) => `${e.fromState}->${e.toState}`);

  it('retries (pending) before down, opens an incident, and recovery resolves it', async () => {
    target.set('/flaky', { status: 200 });
    const service = await h.addService({ name: 'Flaky', config: { url: `${target.url}/flaky` }, interval: 3, retries: 2, retryInterval: 1, timeout: 0.5 });
    await waitFor(async () => (await state(service.id)) === 'up', 6000, 'up');
    target.set('/flaky', { status: 503 });
    const failedAt = Date.now();
    await waitFor(async () => (await state(service.id)) === 'pending', 6000, 'pending');
    const incidentsWhilePending = await h.ctx.data.repos.incidents.list({ serviceId: service.id }, { limit: 5 });
    assert.equal(incidentsWhilePending.length, 0, 'no incident while pending');
    await waitFor(async () => (await state(service.id)) === 'down', 8000, 'down');
    // Three failures at the retry interval (1 s) after the first one, not at the 3 s interval.
    assert.ok(Date.now() - failedAt < 6500, `down after ${Date.now() - failedAt} ms`);
    const open = await h.ctx.data.repos.incidents.findOpenForService(service.id);
    assert.ok(open, 'an incident is open');
    target.set('/flaky', { status: 200 });
    await waitFor(async () => (await state(service.id)) === 'up', 6000, 'recovered');
    const resolved = await h.ctx.data.repos.incidents.findById(open.id);
    assert.equal(resolved!.status, 'resolved');
    assert.deepEqual(await events(service.id), ['unknown->up', 'up->pending', 'pending->down', 'down->up']);
  });

  it('upside-down: a reachable target is down, an unreachable one is up', async () => {
    target.set('/forbidden', { status: 200 });
    const service = await h.addService({ name: 'Must be closed', config: { url: `${target.url}/forbidden` }, upsideDown: true });
    await waitFor(async () => (await state(service.id)) === 'down', 6000, 'down while reachable');
    target.set('/forbidden', { status: 500 });
    await waitFor(async () => (await state(service.id)) === 'up', 6000, 'up while failing');
    const results = await h.ctx.data.repos.results.list(service.id, { limit: 50 });
    assert.ok(results.some((r) => !r.up) && results.some((r) => r.up), 'results are stored inverted');
  });

  it('maintenance: checks run, results are kept, state is maintenance, no incident', async () => {
    target.set('/maint', { status: 500 });
    const windows = new MaintenanceService(h.ctx.data, h.ctx.now);
    const now = Date.now();
    await windows.create(actor, { scope: 'project', scopeId: h.projectId, namespaceId: h.namespaceId }, { title: 'Upgrade', startsAt: now - 1000, endsAt: now + 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the scheduler's cache refreshes every 200 ms here
    const service = await h.addService({ name: 'In maintenance', config: { url: `${target.url}/maint` } });
    await waitFor(async () => (await state(service.id)) === 'maintenance', 6000, 'maintenance');
    await waitFor(async () => (await h.ctx.data.repos.results.list(service.id, { limit: 10 })).length >= 3, 6000, 'results kept');
    assert.equal(await state(service.id), 'maintenance');
    assert.equal(await h.ctx.data.repos.incidents.findOpenForService(service.id), undefined);
    assert.ok(!(await events(service.id)).some((e) => e.endsWith('->down')), 'never down during maintenance');
  });
});
