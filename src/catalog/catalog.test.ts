import assert from 'node:assert/strict';
import { it } from 'node:test';
import { systemActor, type Actor } from '../auth/actor.js';
import { AppError } from '../domain/errors.js';
import { DataAccess } from '../store/data-access.js';
import { describeEachDatabase } from '../store/test-support/databases.js';
import { CatalogEvents } from './catalog-events.js';
import { NamespaceService } from './namespace-service.js';
import { ProjectService } from './project-service.js';
import { ServiceService } from './service-service.js';
import { StateTransitions, type StateChange } from './state-transitions.js';

const admin = systemActor('test');
const viewerOf = (namespaceId: string): Actor => ({ kind: 'user', userId: 'u1', label: 'viewer', globalRole: null, memberships: new Map([[namespaceId, 'viewer']]), readOnly: false });
const outsider: Actor = { kind: 'user', userId: 'u2', label: 'outsider', globalRole: null, memberships: new Map(), readOnly: false };

async function rejects(promise: Promise<unknown>, code: string) {
  await assert.rejects(promise, (err: unknown) => err instanceof AppError && err.code === code);
}

describeEachDatabase('catalog services', (getStore) => {
  let clock = 1_700_000_000_000;
  const now = () => clock;
  const setup = () => {
    const data = new DataAccess(getStore());
    const transitions = new StateTransitions();
    const events = new CatalogEvents();
    return {
      data, transitions, events,
      namespaces: new NamespaceService(data, now),
      projects: new ProjectService(data, now),
      services: new ServiceService(data, transitions, events, now),
    };
  };

  it('creates the hierarchy, addresses it by slug path, and rejects duplicates', async () => {
    const c = setup();
    const ns = await c.namespaces.create(admin, { name: 'Acme Corp' });
    assert.equal(ns.slug, 'acme-corp');
    const project = await c.projects.create(admin, ns.id, { slug: 'website', name: 'Website' });
    assert.equal(project.path, 'acme-corp/website');
    const svc = await c.services.create(admin, project.id, { slug: 'api', name: 'API', type: 'http', config: { url: 'http://127.0.0.1:1/' }, interval: '30s', tags: ['prod', 'web', 'prod'] });
    assert.equal(svc.path, 'acme-corp/website/api');
    assert.equal(svc.intervalMs, 30_000);
    assert.equal(svc.timeoutMs, 10_000);
    assert.deepEqual(svc.tags, ['prod', 'web']);
    const found = await c.services.getBySlugs(admin, 'acme-corp', 'website', 'api');
    assert.equal(found.id, svc.id);
    await rejects(c.namespaces.create(admin, { slug: 'acme-corp', name: 'Again' }), 'conflict');
    await rejects(c.projects.create(admin, ns.id, { slug: 'website', name: 'Again' }), 'conflict');
    await rejects(c.services.create(admin, project.id, { slug: 'api', name: 'Again', type: 'heartbeat', config: { schedule: 'period', period: '5m' } }), 'conflict');
  });

  it('validates type-specific config and timing', async () => {
    const c = setup();
    const ns = await c.namespaces.create(admin, { slug: 'val', name: 'Val' });
    const p = await c.projects.create(admin, ns.id, { slug: 'p', name: 'P' });
    await rejects(c.services.create(admin, p.id, { name: 'x', type: 'carrier-pigeon' }), 'validation_failed');
    await rejects(c.services.create(admin, p.id, { name: 'x', type: 'http', config: { nope: 1 } }), 'validation_failed');
    await rejects(c.services.create(admin, p.id, { name: 'x', type: 'http', config: { url: 'http://x/' }, interval: '10s', timeout: '20s' }), 'bad_request');
    await rejects(c.services.create(admin, p.id, { name: 'x', type: 'http', config: { url: 'http://x/' }, interval: '48h' }), 'bad_request');
    await rejects(c.services.create(admin, p.id, { name: 'x', type: 'heartbeat', config: { schedule: 'period', period: 'whenever' } }), 'bad_request');
    const hb = await c.services.create(admin, p.id, { name: 'Backup', type: 'heartbeat', config: { schedule: 'missme', every: 'hours 4', threshold: 3 } });
    assert.equal(hb.kind, 'heartbeat');
    assert.equal(hb.intervalMs, 4 * 3_600_000);
  });

  it('enforces namespace roles', async () => {
    const c = setup();
    const ns = await c.namespaces.create(admin, { slug: 'roles', name: 'Roles' });
    const p = await c.projects.create(admin, ns.id, { slug: 'p', name: 'P' });
    const viewer = viewerOf(ns.id);
    assert.equal((await c.projects.get(viewer, p.id)).id, p.id);
    await rejects(c.projects.create(viewer, ns.id, { slug: 'q', name: 'Q' }), 'forbidden');
    await rejects(c.projects.get(outsider, p.id), 'forbidden');
    await rejects(c.namespaces.create(viewer, { name: 'Mine' }), 'forbidden');
    const listed = await c.namespaces.list(outsider, { limit: 10, offset: 0 });
    assert.equal(listed.total, 0);
    const readOnly: Actor = { ...admin, kind: 'api-key', readOnly: true };
    await rejects(c.projects.create(readOnly, ns.id, { slug: 'ro', name: 'RO' }), 'forbidden');
  });

  it('updates, pauses (as a recorded state change) and deletes, telling the scheduler', async () => {
    const c = setup();
    const seen: string[] = [];
    c.events.subscribe((e) => seen.push(e.kind));
    const changes: StateChange[] = [];
    c.transitions.onChange(async (change) => { changes.push(change); });
    const ns = await c.namespaces.create(admin, { slug: 'upd', name: 'Upd' });
    const p = await c.projects.create(admin, ns.id, { slug: 'p', name: 'P' });
    const s = await c.services.create(admin, p.id, { slug: 's', name: 'S', type: 'tcp', config: { host: '127.0.0.1', port: 1 }, interval: 20, timeout: 15 });
    const shorter = await c.services.update(admin, s.id, { interval: '10s', tags: ['a'] });
    assert.equal(shorter.intervalMs, 10_000);
    assert.equal(shorter.timeoutMs, 10_000, 'a kept timeout is clamped to the shorter interval');
    clock += 1000;
    const paused = await c.services.setPaused(admin, s.id, true);
    assert.equal(paused.state, 'paused');
    assert.equal(changes.at(-1)?.to, 'paused');
    const resumed = await c.services.setPaused(admin, s.id, false);
    assert.equal(resumed.state, 'unknown');
    const history = await c.data.repos.events.listForService(s.id, { limit: 10 });
    assert.deepEqual(history.map((e) => e.toState), ['unknown', 'paused']);
    await c.services.delete(admin, s.id);
    await rejects(c.services.get(admin, s.id), 'not_found');
    assert.deepEqual(seen, ['service-upserted', 'service-upserted', 'service-upserted', 'service-upserted', 'service-deleted']);
  });

  it('records transitions: event, incident opened and resolved with duration, listeners in the transaction', async () => {
    const c = setup();
    const ns = await c.namespaces.create(admin, { slug: 'inc', name: 'Inc' });
    const p = await c.projects.create(admin, ns.id, { slug: 'p', name: 'P' });
    const s = await c.services.create(admin, p.id, { slug: 's', name: 'Shop', type: 'heartbeat', config: { schedule: 'period', period: '1m' } });
    const opened = await c.data.transaction((repos, trx) => c.transitions.record({ service: s, from: 'up', to: 'down', at: 1000, cause: 'HTTP 503', openIncident: true }, repos, trx));
    assert.equal(opened.incident?.status, 'open');
    const resolved = await c.data.transaction((repos, trx) => c.transitions.record({ service: s, from: 'down', to: 'up', at: 61_000, cause: null, resolveIncident: true }, repos, trx));
    assert.equal(resolved.incident?.durationMs, 60_000);
    const incident = await c.data.repos.incidents.findById(opened.incident!.id);
    assert.equal(incident?.status, 'resolved');
    assert.deepEqual(incident?.updates?.map((u) => u.status), ['opened', 'resolved']);
    // A failing listener rolls the whole state change back.
    c.transitions.onChange(async () => { throw new Error('listener failed'); });
    await assert.rejects(c.data.transaction((repos, trx) => c.transitions.record({ service: s, from: 'up', to: 'down', at: 90_000, cause: 'x', openIncident: true }, repos, trx)));
    const open = await c.data.repos.incidents.list({ serviceId: s.id, status: 'open' }, { limit: 10 });
    assert.equal(open.length, 0, 'no incident survives a rolled-back transition');
    const events = await c.data.repos.events.listForService(s.id, { limit: 10 });
    assert.equal(events.length, 2);
  });

  it('lists with filters and pagination', async () => {
    const c = setup();
    const ns = await c.namespaces.create(admin, { slug: 'list', name: 'List' });
    const p = await c.projects.create(admin, ns.id, { slug: 'p', name: 'P' });
    for (let i = 0; i < 7; i++) {
      await c.services.create(admin, p.id, { slug: `s${i}`, name: `S${i}`, type: 'heartbeat', config: { schedule: 'period', period: '1m' }, tags: i % 2 ? ['odd'] : [] });
    }
    const page1 = await c.services.list(admin, { projectId: p.id }, { limit: 3, offset: 0 });
    const page3 = await c.services.list(admin, { projectId: p.id }, { limit: 3, offset: 6 });
    assert.equal(page1.total, 7);
    assert.deepEqual(page1.items.map((s) => s.slug), ['s0', 's1', 's2']);
    assert.deepEqual(page3.items.map((s) => s.slug), ['s6']);
    const odd = await c.services.list(admin, { projectId: p.id, tag: 'odd' }, { limit: 50, offset: 0 });
    assert.equal(odd.total, 3);
  });

  it('writes check results in one statement and reads them back newest first', async () => {
    const c = setup();
    const ns = await c.namespaces.create(admin, { slug: 'res', name: 'Res' });
    const p = await c.projects.create(admin, ns.id, { slug: 'p', name: 'P' });
    const s = await c.services.create(admin, p.id, { slug: 's', name: 'S', type: 'tcp', config: { host: '127.0.0.1', port: 1 } });
    await c.data.repos.results.insertMany(Array.from({ length: 250 }, (_, i) => ({ serviceId: s.id, at: 1000 + i, up: i % 10 !== 0, latencyMs: i + 0.5, detail: i % 10 ? null : 'refused' })));
    const newest = await c.data.repos.results.list(s.id, { limit: 3 });
    assert.deepEqual(newest.map((r) => r.at), [1249, 1248, 1247]);
    assert.equal(newest[0].latencyMs, 249.5);
    const older = await c.data.repos.results.list(s.id, { limit: 3, beforeId: newest[2].id });
    assert.deepEqual(older.map((r) => r.at), [1246, 1245, 1244]);
    const failures = await c.data.repos.results.list(s.id, { limit: 100, up: false, from: 1100, to: 1200 });
    assert.equal(failures.length, 10);
    assert.equal(failures[0].detail, 'refused');
    await c.services.delete(admin, s.id);
    assert.equal((await c.data.repos.results.list(s.id, { limit: 10 })).length, 0, 'deleting a service deletes its results');
  });
});
