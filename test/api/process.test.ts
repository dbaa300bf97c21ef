// Tocsin as a real OS process: start-up on a fresh data dir, config file with SIGHUP reload,
// graceful SIGTERM, a bad config stopping start-up, and the CLI commands.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { spawnServer } from '../support/server-process.js';

const run = promisify(execFile);
const cli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env: { PATH: process.env.PATH ?? '', ...env } })
    .then((r) => ({ code: 0, out: r.stdout, err: r.stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }));

const configText = (interval: string) => `namespaces:
  - slug: ops
    name: Operations
    projects:
      - slug: jobs
        services:
          - { slug: nightly, name: Nightly, type: heartbeat, config: { schedule: period, period: ${interval} } }
`;

async function waitFor(fn: () => Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

describe('the tocsin process', () => {
  it('serves on a fresh data dir, applies the config file, reloads it on SIGHUP and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tocsin-proc-'));
    const config = join(dataDir, 'tocsin.yml');
    writeFileSync(config, configText('1h'));
    const env = { DATA_DIR: dataDir, TOCSIN_CONFIG: config, TOCSIN_ADMIN_EMAIL: 'root@example.com', TOCSIN_ADMIN_PASSWORD: 'a long password' };
    const server = await spawnServer(env);
    try {
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
      const key = await cli(['api-key', 'create', '--email', 'root@example.com', '--name', 'test', '--scope', 'read'], env);
      assert.equal(key.code, 0, key.err);
      const auth = { authorization: `Bearer ${key.out.trim()}` };
      const get = async () => (await (await fetch(`${server.url}/api/v1/paths/ops/jobs/nightly`, { headers: auth })).json()) as { item: { intervalMs: number; managedBy: string } };
      assert.equal((await get()).item.intervalMs, 3_600_000);
      assert.equal((await get()).item.managedBy, 'config');
      writeFileSync(config, configText('2h'));
      server.child.kill('SIGHUP');
      await waitFor(async () => (await get()).item.intervalMs === 7_200_000);
    } finally {
      const code = await server.kill('SIGTERM');
      assert.equal(code, 0, server.logs.join('\n'));
    }
  });

  it('refuses to start on a bad config file, naming the key and line', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tocsin-proc-'));
    const config = join(dataDir, 'bad.yml');
    writeFileSync(config, configText('1h').replace('period: 1h', 'period: 1h, colour: red'));
    const result = await cli(['--config', config, 'serve'], { DATA_DIR: dataDir, PORT: '0' });
    assert.equal(result.code, 1);
    assert.match(result.err, /line 7: namespaces\[0\]\.projects\[0\]\.services\[0\]\.config/);
    const check = await cli(['config', 'check', config], { DATA_DIR: dataDir });
    assert.equal(check.code, 1);
    writeFileSync(config, configText('1h'));
    const ok = await cli(['config', 'check', config], { DATA_DIR: dataDir });
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /OK \(1 namespaces, 1 services\)/);
  });

  it('migrates and creates users from the command line, and rejects bad settings', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tocsin-proc-'));
    const env = { DATA_DIR: dataDir };
    const migrate = await cli(['migrate'], env);
    assert.equal(migrate.code, 0, migrate.err);
    assert.match(migrate.out, /Up 001-core/);
    const user = await cli(['user', 'create', '--email', 'ops@example.com', '--password', 'hunter2hunter2', '--role', 'admin'], env);
    assert.equal(user.code, 0, user.err);
    const dup = await cli(['user', 'create', '--email', 'ops@example.com', '--password', 'hunter2hunter2'], env);
    assert.equal(dup.code, 1);
    assert.match(dup.err, /already exists/);
    const badPort = await cli(['migrate'], { ...env, PORT: 'eighty' });
    assert.equal(badPort.code, 1);
    assert.match(badPort.err, /PORT must be a whole number/);
    const badDb = await cli(['migrate'], { ...env, DATABASE_URL: 'oracle://x' });
    assert.match(badDb.err, /DATABASE_URL must start with/);
  });
});
