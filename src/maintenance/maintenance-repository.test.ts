// The maintenance repository on the three databases: CRUD and upcoming occurrences.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { systemActor } from '../auth/actor.js';
import { NamespaceService } from '../catalog/namespace-service.js';
import { DataAccess } from '../store/data-access.js';
import { describeEachDatabase } from '../store/test-support/databases.js';
import { MaintenanceRepository } from './maintenance-repository.js';
import { MaintenanceService } from './maintenance-service.js';

describeEachDatabase('maintenance repository', (getStore) => {
  it('stores windows and lists upcoming occurrences of a namespace', async () => {
    const data = new DataAccess(getStore());
    const now = Date.parse('2026-06-01T12:00:00Z');
    const actor = systemActor();
    const ns = await new NamespaceService(data, () => now).create(actor, { name: 'Acme' });
    const service = new MaintenanceService(data, () => now);
    const target = { scope: 'namespace' as const, scopeId: ns.id, namespaceId: ns.id };
    await service.create(actor, target, { title: 'Nightly', cron: '30 1 * * *', duration: '30m', timeZone: 'UTC' });
    const once = await service.create(actor, target, { title: 'Migration', startsAt: '2026-06-02T20:00:00Z', endsAt: '2026-06-02T22:00:00Z' });
    const repo = new MaintenanceRepository(data.db);
    const upcoming = await repo.listUpcoming(ns.id, now, now + 2 * 86_400_000);
    assert.deepEqual(upcoming.map((u) => `${u.window.title}@${new Date(u.start).toISOString()}`), [
      'Nightly@2026-06-02T01:30:00.000Z', 'Migration@2026-06-02T20:00:00.000Z', 'Nightly@2026-06-03T01:30:00.000Z',
    ]);
    const updated = await service.update(actor, once.id, { title: 'DB migration' });
    assert.equal(updated.title, 'DB migration');
    assert.equal(updated.startsAt, Date.parse('2026-06-02T20:00:00Z'));
    await service.delete(actor, once.id);
    assert.equal((await repo.list([ns.id])).length, 1);
  });
});
