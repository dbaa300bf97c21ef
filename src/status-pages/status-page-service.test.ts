import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { systemActor } from '../auth/actor.js';
import { NamespaceService } from '../catalog/namespace-service.js';
import { ProjectService } from '../catalog/project-service.js';
import { AppError } from '../domain/errors.js';
import { DataAccess } from '../store/data-access.js';
import { describeEachDatabase } from '../store/test-support/databases.js';
import { StatusPageService } from './status-page-service.js';

describeEachDatabase('status page service', (getStore) => {
  const actor = systemActor();
  let data: DataAccess;
  let pages: StatusPageService;
  let nsId: string;
  let changes = 0;
  before(async () => {
    data = new DataAccess(getStore());
    const now = () => 1_700_000_000_000;
    pages = new StatusPageService(data, now, () => { changes++; });
    const ns = await new NamespaceService(data, now).create(actor, { slug: 'acme', name: 'Acme' });
    nsId = ns.id;
    await new ProjectService(data, now).create(actor, ns.id, { slug: 'web', name: 'Web' });
  });

  it('creates a page with groups given as paths and shows them back as paths', async () => {
    const page = await pages.createStatusPage(actor, nsId, { title: 'Acme Status', timezone: 'Europe/Paris', groups: [{ name: 'Website', project: 'web' }] });
    assert.equal(page.slug, 'acme-status');
    assert.equal(page.timezone, 'Europe/Paris');
    const dto = await pages.toDto(page, 'http://x');
    assert.deepEqual(dto.groups, [{ name: 'Website', project: 'acme/web' }]);
    assert.equal(dto.url, 'http://x/status/acme-status');
    assert.ok(changes > 0);
  });

  it('rejects unknown paths, foreign namespaces, bad time zones and duplicate slugs', async () => {
    const code = async (p: Promise<unknown>) => (await p.then(() => null, (e: AppError) => e.code));
    assert.equal(await code(pages.createStatusPage(actor, nsId, { title: 'x', groups: [{ name: 'g', services: ['web/nope'] }] })), 'bad_request');
    assert.equal(await code(pages.createStatusPage(actor, nsId, { title: 'x', groups: [{ name: 'g', project: 'other/web' }] })), 'bad_request');
    assert.equal(await code(pages.createStatusPage(actor, nsId, { title: 'x', groups: [{ name: 'g' }] })), 'bad_request');
    assert.equal(await code(pages.createStatusPage(actor, nsId, { title: 'x', timezone: 'Mars/Olympus' })), 'bad_request');
    assert.equal(await code(pages.createStatusPage(actor, nsId, { title: 'Acme Status' })), 'conflict');
  });

  it('keeps a single front page and unique custom domains', async () => {
    const a = await pages.createStatusPage(actor, nsId, { slug: 'front-a', title: 'A', isFrontPage: true, customDomain: 'status.acme.test' });
    const b = await pages.createStatusPage(actor, nsId, { slug: 'front-b', title: 'B', isFrontPage: true });
    assert.equal((await pages.get(actor, a.id)).isFrontPage, false);
    assert.equal((await pages.get(actor, b.id)).isFrontPage, true);
    await assert.rejects(pages.createStatusPage(actor, nsId, { slug: 'dup', title: 'C', customDomain: 'status.acme.test' }), /already exists/);
    const updated = await pages.update(actor, a.id, { customDomain: null, title: 'A2' });
    assert.equal(updated.customDomain, null);
    assert.equal(updated.title, 'A2');
    await pages.delete(actor, b.id);
    assert.equal((await pages.list(actor, nsId)).some((p) => p.id === b.id), false);
  });
});
