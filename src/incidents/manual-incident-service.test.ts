import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { systemActor } from '../auth/actor.js';
import { NamespaceService } from '../catalog/namespace-service.js';
import { CatalogEvents } from '../catalog/catalog-events.js';
import { ProjectService } from '../catalog/project-service.js';
import { ServiceService } from '../catalog/service-service.js';
import { StateTransitions } from '../catalog/state-transitions.js';
import { DataAccess } from '../store/data-access.js';
import { describeEachDatabase } from '../store/test-support/databases.js';
import { ManualIncidentService } from './manual-incident-service.js';

describeEachDatabase('manual incidents', (getStore) => {
  const actor = systemActor();
  let now = 1_700_000_000_000;
  let data: DataAccess;
  let incidents: ManualIncidentService;
  let nsId: string;
  let apiId: string;
  before(async () => {
    data = new DataAccess(getStore());
    incidents = new ManualIncidentService(data, () => now);
    const ns = await new NamespaceService(data, () => now).create(actor, { slug: 'acme', name: 'Acme' });
    nsId = ns.id;
    const project = await new ProjectService(data, () => now).create(actor, ns.id, { slug: 'web', name: 'Web' });
    const services = new ServiceService(data, new StateTransitions(), new CatalogEvents(), () => now);
    apiId = (await services.create(actor, project.id, { slug: 'api', name: 'API', type: 'heartbeat', config: { schedule: 'period', period: '1h' } })).id;
  });

  it('opens with affected services (never as the service\'s own incident), resolves and reopens', async () => {
    const opened = await incidents.create(actor, nsId, { title: 'Slow', status: 'investigating', message: 'Looking', services: ['acme/web/api', apiId] });
    assert.equal(opened.serviceId, null);
    assert.equal(opened.status, 'open');
    assert.deepEqual(opened.affectedServices.map((s) => s.path), ['acme/web/api']);
    assert.equal(await data.repos.incidents.findOpenForService(apiId), undefined, 'a recovery of the service will not resolve it');
    now += 60_000;
    const resolved = await incidents.addUpdate(actor, opened.id, { status: 'resolved', message: 'Fixed' });
    assert.equal(resolved.status, 'resolved');
    assert.equal(resolved.resolvedAt, now);
    now += 60_000;
    const reopened = await incidents.addUpdate(actor, opened.id, { status: 'monitoring', message: 'Watching again' });
    assert.equal(reopened.status, 'open');
    assert.equal(reopened.resolvedAt, null);
    assert.deepEqual(reopened.updates!.map((u) => u.status), ['investigating', 'resolved', 'monitoring']);
  });

  it('posts an already resolved incident, and refuses services outside the namespace', async () => {
    const posted = await incidents.create(actor, nsId, { title: 'Was down', status: 'resolved', message: 'It was down for 5 minutes.' });
    assert.equal(posted.status, 'resolved');
    assert.deepEqual(posted.affectedServices, []);
    await assert.rejects(incidents.create(actor, nsId, { title: 't', status: 'identified', message: 'm', services: ['other/web/api'] }), /not in namespace/);
  });
});
