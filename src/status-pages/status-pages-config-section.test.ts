import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { buildContext } from '../app/build-context.js';
import type { AppContext } from '../app/context.js';
import { systemActor } from '../auth/actor.js';
import { applyConfigFile } from '../config/file/apply-config-file.js';
import { readSettings } from '../config/settings.js';
import { silentLogger } from '../logger.js';
import { describeEachDatabase } from '../store/test-support/databases.js';
import { statusPageServiceFor } from './status-page-service.js';
import { StatusPageRepository } from './store/status-page-repository.js';

const dir = mkdtempSync(join(tmpdir(), 'tocsin-status-config-'));
const catalog = `
namespaces:
  - slug: acme
    projects:
      - slug: web
        services:
          - { slug: home, name: Home, type: heartbeat, config: { schedule: period, period: 1h } }
          - { slug: api, name: API, type: heartbeat, config: { schedule: period, period: 1h } }
`;

describeEachDatabase('statusPages config section', (getStore, dialect) => {
  let ctx: AppContext;
  const file = join(dir, `${dialect}.yml`);
  before(() => {
    ctx = buildContext(readSettings({ LOG_LEVEL: 'silent' }), getStore(), silentLogger());
  });

  it('creates pages, updates them idempotently, and deletes the ones it no longer declares', async () => {
    writeFileSync(file, `${catalog}
statusPages:
  - namespace: acme
    slug: acme
    title: Acme status
    timezone: Europe/Berlin
    customDomain: Status.Acme.test
    groups:
      - { name: Web, project: web }
  - namespace: acme
    slug: api-only
    title: API
    groups:
      - { name: API, services: [web/api] }
`);
    await applyConfigFile(ctx, file);
    const repo = new StatusPageRepository(ctx.data.db);
    const acme = (await repo.findBySlug('acme'))!;
    assert.equal(acme.managedBy, 'config');
    assert.equal(acme.customDomain, 'status.acme.test');
    assert.equal(acme.timezone, 'Europe/Berlin');
    const updatedAt = acme.updatedAt;
    await applyConfigFile(ctx, file);
    assert.equal((await repo.findBySlug('acme'))!.updatedAt, updatedAt, 'unchanged file, unchanged page');

    const manual = await statusPageServiceFor(ctx).createStatusPage(systemActor(), acme.namespaceId, { slug: 'by-hand', title: 'By hand' });
    writeFileSync(file, `${catalog}
statusPages:
  - namespace: acme
    slug: acme
    title: Acme status (new)
`);
    await applyConfigFile(ctx, file);
    const changed = (await repo.findBySlug('acme'))!;
    assert.equal(changed.title, 'Acme status (new)');
    assert.equal(changed.timezone, 'UTC');
    assert.deepEqual(changed.groups, []);
    assert.equal(await repo.findBySlug('api-only'), undefined);
    assert.ok(await repo.findById(manual.id), 'pages made through the API stay');
  });

  it('refuses a section with unknown paths or time zones and changes nothing', async () => {
    writeFileSync(file, `${catalog}
statusPages:
  - { namespace: acme, slug: acme, title: Changed, timezone: Mars/Base }
  - { namespace: acme, slug: other, title: Other, groups: [{ name: X, services: [web/missing] }] }
`);
    await assert.rejects(applyConfigFile(ctx, file), /Mars\/Base[\s\S]*web\/missing/);
    assert.equal((await new StatusPageRepository(ctx.data.db).findBySlug('acme'))!.title, 'Acme status (new)');
  });
});
