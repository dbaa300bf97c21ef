// The `maintenance:` section of the config file: created, updated in place, pruned when removed,
// and rejected as a whole when one entry is wrong.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyConfigFile } from '../../src/config/file/apply-config-file.js';
import { MaintenanceRepository } from '../../src/maintenance/maintenance-repository.js';
import { harness, type Harness } from './support.js';

describe('maintenance windows in the config file', () => {
  let h: Harness;
  let dir: string;
  before(async () => { h = await harness(); dir = mkdtempSync(join(tmpdir(), 'tocsin-maint-')); });
  after(async () => { await h.close(); rmSync(dir, { recursive: true, force: true }); });

  const apply = (yaml: string) => {
    const file = join(dir, 'tocsin.yaml');
    writeFileSync(file, yaml);
    return applyConfigFile(h.ctx, file);
  };
  const windows = () => new MaintenanceRepository(h.ctx.data.db).list();

  it('creates, updates in place and prunes managed windows', async () => {
    await apply(`
maintenance:
  - title: Weekly upgrade
    target: acme/website
    cron: "0 2 * * 0"
    duration: 2h
    timeZone: Europe/Paris
  - title: Migration
    target: acme
    startsAt: "2026-06-02T20:00:00Z"
    endsAt: "2026-06-02T22:00:00Z"
`);
    let list = await windows();
    assert.equal(list.length, 2);
    const weekly = list.find((w) => w.title === 'Weekly upgrade')!;
    assert.equal(weekly.scope, 'project');
    assert.equal(weekly.durationMs, 7_200_000);
    assert.ok(weekly.managedBy);

    await apply(`
maintenance:
  - title: Weekly upgrade
    target: acme/website
    cron: "0 3 * * 0"
    duration: 1h
    timeZone: Europe/Paris
`);
    list = await windows();
    assert.equal(list.length, 1, 'the window no longer declared is deleted');
    assert.equal(list[0].id, weekly.id, 'updated in place');
    assert.equal(list[0].cron, '0 3 * * 0');
    assert.equal(list[0].durationMs, 3_600_000);
  });

  it('rejects the section when an entry is wrong, changing nothing', async () => {
    const before = await windows();
    await assert.rejects(apply(`
maintenance:
  - title: Fine
    target: acme
    startsAt: "2026-06-02T20:00:00Z"
    endsAt: "2026-06-02T22:00:00Z"
  - title: Broken
    target: acme/nope
    cron: "0 3 * * 0"
    duration: 1h
`), /acme\/nope/);
    assert.deepEqual((await windows()).map((w) => w.id), before.map((w) => w.id));
  });
});
