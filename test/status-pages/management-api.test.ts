import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { statusPagesFeature } from '../../src/status-pages/status-pages-feature.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** fetch() always sends the URL's host, so custom domains need node:http. */
function getWithHost(url: string, host: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { host } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => resolve({ status: res.statusCode!, text }));
    }).on('error', reject);
  });
}

describe('status page and incident API', () => {
  let server: TestServer;
  let apiId: string;
  before(async () => {
    server = await startTestServer({ features: [statusPagesFeature()] });
    await server.request('POST', '/api/v1/namespaces', { body: { slug: 'shop', name: 'Shop' } });
    await server.request('POST', '/api/v1/namespaces/shop/projects', { body: { slug: 'web', name: 'Web' } });
    const api = await server.request('POST', '/api/v1/namespaces/shop/projects/web/services', {
      body: { slug: 'api', name: 'API', type: 'heartbeat', config: { schedule: 'period', period: '1h' } },
    });
    apiId = api.body.id;
  });
  after(async () => { await server.stop(); });

  it('creates, lists, changes and deletes a page', async () => {
    const created = await server.request('POST', '/api/v1/namespaces/shop/status-pages', {
      body: { slug: 'shop', title: 'Shop status', timezone: 'America/New_York', logoUrl: '/logo.png', groups: [{ name: 'Web', project: 'web' }, { name: 'Picked', services: ['web/api'] }] },
    });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.groups, [{ name: 'Web', project: 'shop/web' }, { name: 'Picked', services: ['shop/web/api'] }]);
    assert.match(created.body.url, /\/status\/shop$/);
    const list = await server.request('GET', '/api/v1/namespaces/shop/status-pages');
    assert.equal(list.body.items.length, 1);
    const patched = await server.request('PATCH', `/api/v1/status-pages/${created.body.id}`, { body: { title: 'Shop', description: 'All of it' } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.title, 'Shop');
    assert.equal(patched.body.timezone, 'America/New_York');
    const page = await server.request('GET', '/status/shop', { key: null });
    assert.match(page.text, /<h1>Shop<\/h1>/);
    const other = await server.request('POST', '/api/v1/namespaces/shop/status-pages', { body: { slug: 'tmp', title: 'Tmp' } });
    assert.equal((await server.request('DELETE', `/api/v1/status-pages/${other.body.id}`)).status, 204);
    assert.equal((await server.request('GET', `/api/v1/status-pages/${other.body.id}`)).status, 404);
    assert.equal((await server.request('GET', '/status/tmp', { key: null })).status, 404);
  });

  it('rejects bad input with 4xx, and needs credentials and the write scope', async () => {
    const post = (body: unknown, key?: string | null) => server.request('POST', '/api/v1/namespaces/shop/status-pages', { body, key });
    assert.equal((await post({ title: 'x', unknown: 1 })).status, 400);
    assert.equal((await post({ title: 'x', slug: 'Bad Slug' })).status, 400);
    assert.equal((await post({ title: 'x', timezone: 'Nowhere/Land' })).status, 400);
    assert.equal((await post({ title: 'x', customDomain: 'not a domain' })).status, 400);
    assert.equal((await post({ title: 'x', logoUrl: 'javascript:alert(1)' })).status, 400);
    assert.equal((await post({ title: 'x', groups: [{ name: 'g', services: ['web/missing'] }] })).status, 400);
    assert.equal((await post({ title: 'x', slug: 'shop' })).status, 409);
    assert.equal((await post({ title: 'x' }, null)).status, 401);
    assert.equal((await post({ title: 'x' }, server.readKey)).status, 403);
  });

  it('opens a manual incident with updates, shows it on the page, resolves and reopens it', async () => {
    const opened = await server.request('POST', '/api/v1/namespaces/shop/incidents', {
      body: { title: 'Checkout is slow', status: 'investigating', message: 'Looking into slow checkouts.', services: ['web/api', apiId] },
    });
    assert.equal(opened.status, 201, opened.text);
    assert.equal(opened.body.origin, 'manual');
    assert.equal(opened.body.serviceId, null);
    assert.deepEqual(opened.body.affectedServices.map((s: { path: string }) => s.path), ['shop/web/api']);
    const id = opened.body.id;
    const page = await server.request('GET', '/status/shop', { key: null });
    assert.match(page.text, /Checkout is slow/);
    assert.match(page.text, /Investigating/);
    const monitoring = await server.request('POST', `/api/v1/incidents/${id}/updates`, { body: { status: 'monitoring', message: 'A fix is out.' } });
    assert.equal(monitoring.status, 201);
    assert.deepEqual(monitoring.body.updates.map((u: { status: string }) => u.status), ['investigating', 'monitoring']);
    const resolved = await server.request('POST', `/api/v1/incidents/${id}/updates`, { body: { status: 'resolved', message: 'All good.' } });
    assert.equal(resolved.body.status, 'resolved');
    const data = await server.request('GET', '/status/shop/data.json', { key: null });
    assert.equal(data.body.activeIncidents.length, 0);
    assert.equal(data.body.recentIncidents[0].progress, 'resolved');
    const reopened = await server.request('POST', `/api/v1/incidents/${id}/updates`, { body: { status: 'identified', message: 'It is back.' } });
    assert.equal(reopened.body.status, 'open');
    assert.equal(reopened.body.resolvedAt, null);
  });

  it('validates incidents: statuses, unknown services, foreign namespaces', async () => {
    const post = (body: unknown) => server.request('POST', '/api/v1/namespaces/shop/incidents', { body });
    assert.equal((await post({ title: 't', status: 'broken', message: 'm' })).status, 400);
    assert.equal((await post({ title: 't', status: 'investigating', message: 'm', services: ['web/nope'] })).status, 400);
    assert.equal((await post({ title: 't', status: 'investigating', message: 'm', services: ['other/web/api'] })).status, 400);
    assert.equal((await server.request('POST', '/api/v1/incidents/nope/updates', { body: { status: 'resolved', message: 'm' } })).status, 404);
  });

  it('serves a page at "/" for its custom domain or as the front page, and leaves "/" alone otherwise', async () => {
    const before = await server.request('GET', '/', { key: null });
    assert.equal(before.status, 404);
    const page = await server.request('POST', '/api/v1/namespaces/shop/status-pages', { body: { slug: 'domain', title: 'By domain', customDomain: 'status.shop.test' } });
    assert.equal(page.status, 201, page.text);
    const byHost = await getWithHost(`${server.url}/`, 'status.shop.test');
    assert.equal(byHost.status, 200);
    assert.match(byHost.text, /<h1>By domain<\/h1>/);
    assert.equal((await server.request('GET', '/', { key: null })).status, 404);
    await server.request('PATCH', `/api/v1/status-pages/${page.body.id}`, { body: { isFrontPage: true } });
    const front = await server.request('GET', '/', { key: null });
    assert.equal(front.status, 200);
    assert.match(front.text, /<h1>By domain<\/h1>/);
  });
});
