import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyConfigFile } from '../../src/config/file/apply-config-file.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const dir = mkdtempSync(join(tmpdir(), 'tocsin-channels-config-'));
const file = join(dir, 'tocsin.yaml');

const catalog = `
namespaces:
  - slug: acme
    projects:
      - slug: web
        services:
          - { slug: api, name: API, type: heartbeat, config: { schedule: period, period: 1h } }
`;

function write(channels: string): void {
  writeFileSync(file, `${catalog}\nchannels:\n${channels}`);
}

const twoChannels = `
  - namespace: acme
    name: ops-webhook
    type: webhook
    config: { url: "\${HOOK_URL}", secret: "\${HOOK_SECRET}" }
    events: [down, up, reminder]
    reminderInterval: 30m
    routes: [acme/web]
    tags: [prod]
  - name: everything
    type: webhook
    config: { url: "https://hooks.example/all" }
    routes:
      - acme
      - { path: acme/web/api }
`;

describe('the channels: section of the config file', () => {
  let server: TestServer;
  before(async () => {
    write(twoChannels);
    server = await startTestServer({ env: { TOCSIN_CONFIG: file, DATA_DIR: dir, HOOK_URL: 'https://hooks.example/secret-path', HOOK_SECRET: 'file-secret-123' } });
  });
  after(async () => { await server.stop(); });

  const channels = async () => (await server.request('GET', '/api/v1/namespaces/acme/channels')).body.items as any[];

  it('creates the declared channels with their routes, managed by the file, secrets redacted', async () => {
    const list = await channels();
    assert.deepEqual(list.map((c) => c.name), ['everything', 'ops-webhook']);
    const ops = list.find((c) => c.name === 'ops-webhook');
    assert.equal(ops.managedBy, 'config');
    assert.deepEqual(ops.config, { url: '********', secret: '********' });
    assert.deepEqual(ops.events, ['down', 'up', 'reminder']);
    assert.equal(ops.reminderIntervalMs, 30 * 60_000);
    assert.deepEqual(ops.routes.map((r: any) => [r.path, r.tags]), [['acme/web', ['prod']]]);
    const all = list.find((c) => c.name === 'everything');
    assert.deepEqual(all.routes.map((r: any) => [r.path, r.tags]).sort(), [['acme', []], ['acme/web/api', []]]);
  });

  it('applies again without changing anything, then follows edits and removals', async () => {
    const before = await channels();
    await applyConfigFile(server.running.ctx, file);
    assert.deepEqual(await channels(), before, 'idempotent: same rows, same route ids, same updatedAt');

    write(twoChannels.replace('events: [down, up, reminder]', 'events: [down]').replace(/  - name: everything[\s\S]*$/, ''));
    await applyConfigFile(server.running.ctx, file);
    const after = await channels();
    assert.deepEqual(after.map((c) => c.name), ['ops-webhook'], 'the channel dropped from the file is deleted');
    assert.deepEqual(after[0].events, ['down']);
    assert.equal(after[0].id, before.find((c) => c.name === 'ops-webhook').id, 'updated in place');
  });

  it('leaves channels made through the API alone, and rejects a bad section without changing anything', async () => {
    const made = await server.request('POST', '/api/v1/namespaces/acme/channels', { body: { name: 'by-hand', type: 'webhook', config: { url: 'https://hooks.example/hand' } } });
    assert.equal(made.status, 201, made.text);
    const before = await channels();
    write(`
  - namespace: acme
    name: broken
    type: webhook
    config: { url: "not a url" }
    routes: [other/web]
`);
    await assert.rejects(applyConfigFile(server.running.ctx, file), /channels section is not valid[\s\S]*config\/url[\s\S]*outside namespace/);
    assert.deepEqual(await channels(), before);
    write('  []\n');
    await applyConfigFile(server.running.ctx, file);
    assert.deepEqual((await channels()).map((c) => c.name), ['by-hand']);
  });
});
