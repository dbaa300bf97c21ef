// The batch writer on the three databases: bulk updates for unchanged states, transitions with
// incidents for changes, upside-down inversion, and services paused or deleted meanwhile skipped.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { systemActor } from '../auth/actor.js';
import { CatalogEvents } from '../catalog/catalog-events.js';
import { NamespaceService } from '../catalog/namespace-service.js';
import { ProjectService } from '../catalog/project-service.js';
import { ServiceService } from '../catalog/service-service.js';
import { StateTransitions } from '../catalog/state-transitions.js';
import { silentLogger } from '../logger.js';
import { MaintenanceCache } from '../maintenance/maintenance-cache.js';
import { DataAccess } from '../store/data-access.js';
import { describeEachDatabase } from '../store/test-support/databases.js';
import { updateCheckColumns } from './bulk-update.js';
import { ResultWriter } from './result-writer.js';

describeEachDatabase('result writer', (getStore) => {
  it('writes a batch: bulk updates, transitions, inversion, skips', async () => {
    const data = new DataAccess(getStore());
    const now = () => 1_800_000_000_000;
    const actor = systemActor();
    const transitions = new StateTransitions();
    const services = new ServiceService(data, transitions, new CatalogEvents(), now);
    const ns = await new NamespaceService(data, now).create(actor, { name: 'Acme' });
    const project = await new ProjectService(data, now).create(actor, ns.id, { name: 'Web' });
    const make = (name: string, extra: Record<string, unknown> = {}) =>
      services.create(actor, project.id, { name, type: 'tcp', config: { host: '127.0.0.1', port: 1 }, interval: 30, retries: 1, ...extra });
    const steady = await Promise.all(Array.from({ length: 150 }, (_, i) => make(`Steady ${i}`)));
    const failing = await make('Failing', { retries: 0 });
    const inverted = await make('Inverted', { upsideDown: true });
    const paused = await make('Paused');
    const deleted = await make('Deleted');
    const writer = new ResultWriter(data, transitions, new MaintenanceCache(data.db, now), silentLogger(), { flushMs: 10_000, maxBatch: 10_000 });
    let commits = 0;
    transitions.onCommitted(() => { commits += 1; });
    const ok = { up: true, latencyMs: 12.5, detail: 'open in 12 ms' };
    const bad = { up: false, latencyMs: null, detail: 'connection refused' };

    // First batch: every service goes unknown -> something (transitions).
    for (const s of [...steady, failing, inverted, paused, deleted]) writer.add({ serviceId: s.id, at: 1000, outcome: ok });
    await writer.flush();
    // Second batch: steady ones stay up (bulk path, two results each for some), the failing one
    // goes down with an incident, the inverted one is down while reachable; paused and deleted
    // services are skipped.
    assert.equal(commits, 1, 'a batch with changes of state wakes the dispatcher once');
    await services.setPaused(actor, paused.id, true);
    await services.delete(actor, deleted.id);
    for (const s of steady) writer.add({ serviceId: s.id, at: 2000, outcome: { ...ok, latencyMs: 20 } });
    for (const s of steady.slice(0, 10)) writer.add({ serviceId: s.id, at: 3000, outcome: { ...ok, latencyMs: 30 } });
    writer.add({ serviceId: failing.id, at: 2000, outcome: bad });
    writer.add({ serviceId: inverted.id, at: 2000, outcome: ok });
    writer.add({ serviceId: paused.id, at: 2000, outcome: ok });
    writer.add({ serviceId: deleted.id, at: 2000, outcome: ok });
    await writer.flush();
    assert.equal(commits, 2);

    const read = async (id: string) => (await data.repos.services.findById(id))!;
    const first = await read(steady[0].id);
    assert.equal(first.state, 'up');
    assert.equal(first.lastCheckedAt, 3000);
    assert.equal(first.lastLatencyMs, 30);
    assert.equal(first.stateChangedAt, 1000, 'no state change in the bulk path');
    assert.equal((await read(steady[149].id)).lastCheckedAt, 2000);
    assert.equal((await data.repos.results.list(steady[0].id, { limit: 10 })).length, 3);
    const down = await read(failing.id);
    assert.equal(down.state, 'down');
    assert.equal(down.consecutiveFailures, 1);
    assert.ok(await data.repos.incidents.findOpenForService(failing.id));
    assert.equal((await read(inverted.id)).state, 'down', 'reachable is down when upside down');
    assert.equal((await read(paused.id)).state, 'paused');
    assert.equal((await data.repos.results.list(paused.id, { limit: 10 })).length, 1, 'no result after the pause');
    assert.equal((await data.repos.results.list(deleted.id, { limit: 10 })).length, 0);

    // The bulk update is a compare-and-set per row: a row whose state moved on is left alone.
    const columns = (id: string, expectedState: 'up' | 'down') => ({ id, expectedState, consecutiveFailures: 0, lastCheckedAt: 4000, lastLatencyMs: 1, lastDetail: 'x' });
    const applied = await updateCheckColumns(data.db, [columns(steady[1].id, 'up'), columns(steady[2].id, 'down'), columns(paused.id, 'up')]);
    assert.deepEqual([...applied], [steady[1].id]);
    assert.equal((await read(steady[2].id)).lastCheckedAt, 3000, "left alone");
  });
});
