// Loads a real status page in Debian's Chromium through playwright-core: what a visitor sees,
// no console errors, and screenshots (light, dark, phone) under test-output/screenshots/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { statusPagesFeature } from '../../src/status-pages/status-pages-feature.js';
import { seedDemoPage, setState, type DemoPage } from '../../src/status-pages/test-support/demo-page.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const chromiumPath = process.env.TOCSIN_TEST_CHROMIUM ?? '/usr/bin/chromium';
const absent = !existsSync(chromiumPath) && process.env.CI !== 'true';
if (absent) console.log(`# skipping browser tests: ${chromiumPath} not found (apt-get install chromium)`);
const screenshots = join(process.cwd(), 'test-output', 'screenshots');

describe('status page in a real browser', { skip: absent && `${chromiumPath} not found` }, () => {
  let server: TestServer;
  let browser: Browser;
  let demo: DemoPage;
  before(async () => {
    server = await startTestServer({ features: [statusPagesFeature()] });
    demo = await seedDemoPage(server.running.ctx);
    mkdirSync(screenshots, { recursive: true });
    // A fresh profile per run: Playwright's launch() makes a temporary user-data dir and removes it.
    browser = await chromium.launch({
      executablePath: chromiumPath, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the banner, every state, the open incident and 90-day bars, without console errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(`${server.url}/status/status`, { waitUntil: 'load' });
    assert.equal(await page.locator('h1').textContent(), 'Acme Status');
    assert.equal(await page.locator('#banner-text').textContent(), 'Partial outage');
    const states = await page.locator('[data-service-id]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.state));
    assert.deepEqual([...new Set(states)].sort(), ['down', 'late', 'maintenance', 'up']);
    assert.equal(await page.locator('[data-service-id][data-state=down] [data-role=state]').textContent(), 'Down');
    await assert.doesNotReject(page.getByRole('heading', { name: 'Elevated error rates on the public API' }).waitFor());
    assert.equal(await page.locator('.bars').first().locator('i').count(), 90);
    const title = await page.locator('.bars i').last().getAttribute('title');
    assert.match(title!, /^\d{4}-\d\d-\d\d: /);
    assert.match((await page.locator('.bars').first().getAttribute('aria-label'))!, /Daily uptime over the last 90 days/);
    assert.equal(await page.locator('#theme-toggle').isVisible(), true, 'the script ran');
    await page.screenshot({ path: join(screenshots, 'status-page-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(screenshots, 'status-page-dark.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: join(screenshots, 'status-page-phone.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('refreshes states live from the JSON endpoint', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`${server.url}/status/status`);
    const billing = page.locator(`[data-service-id="${demo.services.billing.id}"] [data-role=state]`);
    assert.equal(await billing.textContent(), 'Operational');
    await setState(server.running.ctx, demo.services.billing, 'down', server.running.ctx.now());
    await setState(server.running.ctx, demo.services.website, 'down', server.running.ctx.now());
    await page.evaluate(() => (window as unknown as { tocsinStatus: { refresh(): void } }).tocsinStatus.refresh());
    await page.waitForFunction((id) => document.querySelector(`[data-service-id="${id}"] [data-role=state]`)?.textContent === 'Down', demo.services.billing.id);
    assert.equal(await page.locator('#banner-text').textContent(), 'Major outage');
    await setState(server.running.ctx, demo.services.billing, 'up', server.running.ctx.now());
    await setState(server.running.ctx, demo.services.website, 'up', server.running.ctx.now());
    await page.close();
  });

  it('is complete with JavaScript off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/status/status`);
    assert.equal(await page.locator('#banner-text').textContent(), 'Partial outage');
    assert.equal(await page.locator('[data-service-id]').count(), 5);
    assert.equal(await page.locator('#theme-toggle').isVisible(), false, 'the toggle needs the script, so it stays hidden');
    await page.getByRole('link', { name: 'Incident history', exact: true }).click();
    await assert.doesNotReject(page.getByRole('heading', { name: /^Incidents in / }).waitFor());
    await page.screenshot({ path: join(screenshots, 'status-history-no-js.png'), fullPage: true });
    await context.close();
  });

  it('switches theme with the toggle and remembers it', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${server.url}/status/status`);
    await page.locator('#theme-toggle').click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.reload();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, 'rgb(13, 17, 23)');
    await page.evaluate(() => localStorage.removeItem('tocsin-theme'));
    await page.close();
  });
});
