import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { statusPagesFeature } from '../../src/status-pages/status-pages-feature.js';
import { seedDemoPage, setState, type DemoPage } from '../../src/status-pages/test-support/demo-page.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('public status pages over HTTP', () => {
  let server: TestServer;
  let demo: DemoPage;
  before(async () => {
    server = await startTestServer({ features: [statusPagesFeature()] });
    demo = await seedDemoPage(server.running.ctx);
    // State changes clear the page cache again 250 ms after their transaction; let that pass so
    // the ETag test sees a settled page.
    await new Promise((r) => setTimeout(r, 400));
  });
  after(async () => { await server.stop(); });

  it('serves the page without credentials: banner, states, incident, 90 bars per service', async () => {
    const res = await server.request('GET', '/status/status', { key: null });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /text\/html/);
    assert.match(res.text, /<h1>Acme Status<\/h1>/);
    assert.match(res.text, /id="banner-text" role="status">Partial outage</);
    assert.match(res.text, /Elevated error rates on the public API/);
    assert.match(res.text, /Affects: Public API/);
    for (const state of ['up', 'down', 'late', 'maintenance']) assert.match(res.text, new RegExp(`data-state="${state}"`));
    const bars = res.text.match(/<div class="bars"[^>]*>(.*?)<\/div>/g)!;
    assert.equal(bars.length, 5);
    for (const b of bars) assert.equal(b.match(/<i /g)!.length, 90);
    assert.match(res.text, /title="\d{4}-\d\d-\d\d: (100%|\d+\.\d\d%|no data)"/);
    assert.match(res.text, /Last check-in/);
    assert.match(res.text, /<svg class="spark"/);
    assert.match(res.text, /Current time: <span id="clock"><time/);
  });

  it('answers 304 to a matching ETag and gzips for clients that accept it', async () => {
    const first = await fetch(`${server.url}/status/status`, { headers: { 'accept-encoding': 'gzip' } });
    const etag = first.headers.get('etag')!;
    assert.ok(etag);
    const again = await fetch(`${server.url}/status/status`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    const raw = await import('node:http').then((http) => new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      http.get(`${server.url}/status/status`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      }).on('error', reject);
    }));
    assert.equal(raw.encoding, 'gzip');
    assert.match(gunzipSync(raw.body).toString(), /Acme Status/);
  });

  it('shows a state change made through the transitions at once', async () => {
    await setState(server.running.ctx, demo.services.website, 'down', server.running.ctx.now());
    const data = await server.request('GET', '/status/status/data.json', { key: null });
    assert.equal(data.status, 200);
    assert.match(data.headers.get('cache-control')!, /max-age=15/);
    assert.equal(data.headers.get('access-control-allow-origin'), '*');
    const website = data.body.groups[0].services.find((s: { id: string }) => s.id === demo.services.website.id);
    assert.equal(website.state, 'down');
    assert.equal(data.body.status.level, 'partial_outage');
    assert.equal(website.days.length, 90);
    assert.equal(data.body.activeIncidents.some((i: { id: string }) => i.id === demo.incidentId), true);
    await setState(server.running.ctx, demo.services.website, 'up', server.running.ctx.now());
  });

  it('serves an Atom feed of incidents and the history of a month', async () => {
    const feed = await server.request('GET', '/status/status/feed.atom', { key: null });
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type')!, /application\/atom\+xml/);
    assert.match(feed.text, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    assert.match(feed.text, /<title>\[Identified\] Elevated error rates on the public API<\/title>/);
    assert.match(feed.text, /<title>\[Resolved\] Public API is down<\/title>/);
    const history = await server.request('GET', '/status/status/history', { key: null });
    assert.equal(history.status, 200);
    assert.match(history.text, /Incidents in /);
    assert.match(history.text, /Elevated error rates/);
    const bad = await server.request('GET', '/status/status/history?month=2026-13', { key: null });
    assert.equal(bad.status, 400);
    const blank = await server.request('GET', '/status/status/history?month=', { key: null });
    assert.equal(blank.status, 200, 'a blank month is the current month');
    assert.equal(blank.text, history.text);
  });

  it('draws badges for services and projects on a page, and 404s for others', async () => {
    const status = await server.request('GET', '/badge/acme-status/website/api/status.svg', { key: null });
    assert.equal(status.status, 200);
    assert.match(status.headers.get('content-type')!, /image\/svg\+xml/);
    assert.match(status.headers.get('cache-control')!, /max-age=60/);
    assert.match(status.text, /aria-label="Public API: down"/);
    const uptime = await server.request('GET', '/badge/acme-status/website/website/uptime.svg?window=30d', { key: null });
    assert.match(uptime.text, /uptime 30d: \d+(\.\d\d)?%/);
    const latency = await server.request('GET', '/badge/acme-status/website/website/response-time.svg', { key: null });
    assert.match(latency.text, /response time 24h: \d+ ms/);
    const project = await server.request('GET', '/badge/acme-status/website/status.svg', { key: null });
    assert.match(project.text, /website: down/);
    assert.equal((await server.request('GET', '/badge/acme-status/website/api/uptime.svg?window=1y', { key: null })).status, 400);
    assert.equal((await server.request('GET', '/badge/acme-status/nope/status.svg', { key: null })).status, 404);
  });

  it('answers unknown pages with a friendly HTML 404', async () => {
    const res = await server.request('GET', '/status/no-such-page', { key: null });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type')!, /text\/html/);
    assert.match(res.text, /There is no status page &quot;no-such-page&quot;/);
  });

  it('serves the live script locally', async () => {
    const res = await server.request('GET', '/status-assets/status-page.js', { key: null });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /javascript/);
  });
});
