// The public documents over each database: the site version query, and a change made by another
// instance (straight in the database, no local invalidation) showing once the cache rechecks.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, it } from 'node:test';
import { buildContext } from '../app/build-context.js';
import type { AppContext } from '../app/context.js';
import { readSettings } from '../config/settings.js';
import { silentLogger } from '../logger.js';
import { MaintenanceRepository } from '../maintenance/maintenance-repository.js';
import { describeEachDatabase } from '../store/test-support/databases.js';
import { StatusPageSite } from './status-page-site.js';
import { statusPageServiceFor } from './status-page-service.js';
import { systemActor } from '../auth/actor.js';
import { seedDemoPage, type DemoPage } from './test-support/demo-page.js';

describeEachDatabase('status page site', (getStore) => {
  let now = Date.parse('2026-11-21T12:00:00Z');
  let ctx: AppContext;
  let site: StatusPageSite;
  let demo: DemoPage;
  before(async () => {
    ctx = buildContext(readSettings({ LOG_LEVEL: 'silent' }), getStore(), silentLogger(), () => now);
    demo = await seedDemoPage(ctx);
    site = new StatusPageSite(ctx.data, () => now, 'http://status.test');
  });

  it('renders the page, JSON, feed, history and badges', async () => {
    const html = (await site.pageHtml('status'))!.body.toString();
    assert.match(html, /Partial outage/);
    const data = JSON.parse((await site.pageData('status'))!.body.toString());
    assert.equal(data.groups.length, 2);
    assert.equal(data.groups[0].services.length, 3);
    const api = data.groups[0].services.find((s: { name: string }) => s.name === 'Public API');
    assert.ok(api.uptime90d > 0.99 && api.uptime90d < 1);
    assert.equal(api.recentLatenciesMs.length, 40);
    assert.match((await site.feed('status'))!.body.toString(), /<entry>/);
    assert.match((await site.history('status', '2026-11'))!.body.toString(), /Elevated error rates/);
    assert.match((await site.badge({ ns: 'acme-status', project: 'website', service: 'api' }, 'uptime', '30d'))!.body.toString(), /uptime 30d: 98\.\d\d%/);
    assert.match((await site.badge({ ns: 'acme-status', project: 'website', service: 'website' }, 'response-time', '24h'))!.body.toString(), /\d+ ms/);
    assert.equal(await site.pageHtml('missing'), null);
  });

  it('announces maintenance ahead for services on the page, and only those', async () => {
    const windows = new MaintenanceRepository(ctx.data.db);
    const base = { namespace_id: demo.page.namespaceId, description: 'Database upgrade', cron: null, duration_ms: null, time_zone: null, managed_by: null, created_at: now, updated_at: now };
    await windows.insert({ ...base, id: randomUUID(), scope: 'project', scope_id: demo.services.website.projectId, title: 'Website database upgrade', starts_at: now + 2 * 86_400_000, ends_at: now + 2 * 86_400_000 + 3_600_000 });
    await windows.insert({ ...base, id: randomUUID(), scope: 'service', scope_id: randomUUID(), title: 'Not on this page', starts_at: now + 86_400_000, ends_at: now + 86_400_000 + 3_600_000 });
    site.cache.invalidate();
    const html = (await site.pageHtml('status'))!.body.toString();
    assert.match(html, /<h2 id="maint-h">Scheduled maintenance<\/h2>/);
    assert.match(html, /Website database upgrade/);
    assert.match(html, /Affects: Public API, Search, Website/);
    assert.doesNotMatch(html, /Not on this page/);
  });

  it('maps "/" to a custom domain\'s page, else to the front page', async () => {
    const pages = statusPageServiceFor(ctx);
    assert.equal(await site.slugForRoot('status.acme.test'), null);
    await pages.update(systemActor(), demo.page.id, { customDomain: 'status.acme.test' });
    const front = await pages.createStatusPage(systemActor(), demo.page.namespaceId, { slug: 'front', title: 'Front', isFrontPage: true });
    site.cache.invalidate();
    assert.equal(await site.slugForRoot('STATUS.acme.test'), 'status');
    assert.equal(await site.slugForRoot('other.test'), 'front');
    await pages.delete(systemActor(), front.id);
    await pages.update(systemActor(), demo.page.id, { customDomain: null });
  });

  it('shows a change made by another instance once the cache rechecks the database version', async () => {
    const before = (await site.pageHtml('status'))!.etag;
    await ctx.data.repos.services.update(demo.services.billing.id, { name: 'Invoices export', updated_at: now + 1 });
    now += 1_000;
    assert.equal((await site.pageHtml('status'))!.etag, before, 'still fresh: served from memory');
    now += 5_000;
    const after = (await site.pageHtml('status'))!;
    assert.notEqual(after.etag, before);
    assert.match(after.body.toString(), /Invoices export/);
  });
});
