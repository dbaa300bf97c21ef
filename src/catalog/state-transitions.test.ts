// recordMany() against record() on the three databases: the same rows, ids and listener calls.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { systemActor } from '../auth/actor.js';
import type { Service } from '../domain/catalog.js';
import { DataAccess } from '../store/data-access.js';
import { describeEachDatabase } from '../store/test-support/databases.js';
import { CatalogEvents } from './catalog-events.js';
import { NamespaceService } from './namespace-service.js';
import { ProjectService } from './project-service.js';
import { ServiceService } from './service-service.js';
import { StateTransitions, type StateChange, type TransitionInput } from './state-transitions.js';

const admin = systemActor('test');
const t0 = Date.UTC(2026, 0, 1);

describeEachDatabase('state transitions in batches', (getStore) => {
  let suite = 0;
  const setup = async (count: number) => {
    const data = new DataAccess(getStore());
    const transitions = new StateTransitions();
    const now = () => t0;
    const services = new ServiceService(data, transitions, new CatalogEvents(), now);
    const ns = await new NamespaceService(data, now).create(admin, { slug: `batch-${++suite}`, name: 'Batch' });
    const project = await new ProjectService(data, now).create(admin, ns.id, { slug: 'p', name: 'P' });
    const made: Service[] = [];
    for (let i = 0; i < count; i++) {
      made.push(await services.create(admin, project.id, { slug: `s${i}`, name: `S${i}`, type: 'heartbeat', config: { schedule: 'period', period: '1h' } }));
    }
    const seen: { one: StateChange[]; batches: StateChange[][] } = { one: [], batches: [] };
    transitions.onChange(async (change) => { seen.one.push(change); });
    transitions.onChanges(async (changes) => { seen.batches.push(changes); });
    return { data, transitions, services: made, seen };
  };
  const down = (service: Service, at = t0): TransitionInput => ({ service, from: 'up', to: 'down', at, cause: `${service.name} missed`, openIncident: true });

  it('writes each change\'s event and incident in a few statements, and tells every listener', async () => {
    const { data, transitions, services, seen } = await setup(7);
    const inputs = [...services.slice(0, 5).map((s) => down(s)), { service: services[5], from: 'up', to: 'late', at: t0, cause: 'late' } as TransitionInput];
    const changes = await data.transaction((repos, trx) => transitions.recordMany(inputs, repos, trx));

    assert.deepEqual(changes.map((c) => c.service.id), inputs.map((i) => i.service.id), 'in the order given');
    assert.deepEqual(seen.one, changes, 'per-change listeners see each change');
    assert.deepEqual(seen.batches, [changes], 'batch listeners see them together');
    assert.equal(new Set(changes.map((c) => c.eventId)).size, changes.length);
    for (const change of changes) {
      const [event] = await data.repos.events.listForService(change.service.id, { limit: 5 });
      assert.equal(event.id, change.eventId, 'the id given to listeners is the stored event\'s');
      assert.equal(event.toState, change.to);
      assert.equal(event.incidentId, change.incident?.id ?? null);
      if (change.to !== 'down') {
        assert.equal(change.incident, null);
        continue;
      }
      const incident = await data.repos.incidents.findById(change.incident!.id);
      assert.equal(incident?.status, 'open');
      assert.equal(incident?.openedAt, t0);
      assert.equal(incident?.title, `${change.service.name} is down`);
      assert.deepEqual(incident?.updates?.map((u) => [u.status, u.message]), [['opened', `${change.service.name} missed`]]);
      assert.deepEqual({ ...change.incident }, { ...(await data.repos.incidents.findOpenForService(change.service.id)) });
    }
    assert.deepEqual(await data.repos.events.listForService(services[6].id, { limit: 5 }), [], 'untouched service');
  });

  it('gives the same results as record(), and a rollback leaves nothing', async () => {
    const { data, transitions, services } = await setup(4);
    const one = await data.transaction((repos, trx) => transitions.record(down(services[0]), repos, trx));
    const [many] = await data.transaction((repos, trx) => transitions.recordMany([down(services[1]), down(services[2])], repos, trx));
    const unnamed = (text: string | null | undefined) => text?.replace(/S\d/, 'S');
    const shape = (c: StateChange) => ({
      from: c.from, to: c.to, at: c.at, cause: unnamed(c.cause),
      incident: c.incident && { ...c.incident, id: '', serviceId: '', title: unnamed(c.incident.title), cause: unnamed(c.incident.cause) },
    });
    assert.deepEqual(shape(many), shape(one));
    const failure = new Error('roll back');
    await assert.rejects(data.transaction(async (repos, trx) => {
      await transitions.recordMany([down(services[3]), down(services[3 - 1], t0 + 1)], repos, trx);
      throw failure;
    }), failure);
    assert.deepEqual(await data.repos.events.listForService(services[3].id, { limit: 5 }), []);
    assert.equal(await data.repos.incidents.findOpenForService(services[3].id), undefined);
  });

  it('records a service named twice, and resolutions, one by one in order', async () => {
    const { data, transitions, services, seen } = await setup(2);
    const [a, b] = services;
    await data.transaction((repos, trx) => transitions.recordMany([down(a), down(b)], repos, trx));
    seen.batches.length = 0;
    const changes = await data.transaction((repos, trx) => transitions.recordMany([
      { service: a, from: 'down', to: 'up', at: t0 + 60_000, cause: 'back', resolveIncident: true },
      { service: b, from: 'down', to: 'up', at: t0 + 60_000, cause: 'back', resolveIncident: true },
      down(b, t0 + 70_000),
    ], repos, trx));
    assert.deepEqual(changes.map((c) => [c.service.id, c.to, c.incident?.status]), [[a.id, 'up', 'resolved'], [b.id, 'up', 'resolved'], [b.id, 'down', 'open']]);
    assert.equal(changes[0].incident?.durationMs, 60_000);
    assert.deepEqual(seen.batches.map((batch) => batch.length), [1, 1, 1]);
    const events = await data.repos.events.listForService(b.id, { limit: 5 });
    assert.deepEqual(events.map((e) => e.toState), ['down', 'up', 'down'], 'newest first');
  });

  it('does nothing for an empty batch', async () => {
    const { data, transitions, seen } = await setup(0);
    assert.deepEqual(await data.transaction((repos, trx) => transitions.recordMany([], repos, trx)), []);
    assert.deepEqual(seen.batches, []);
  });
});
