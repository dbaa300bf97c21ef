// `tocsin import statuspage config.yml` as a real command on the database of a running server,
// then the seed's curl lines against that server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { seedConfig, seedToken } from './seed-statuspage.js';
import { checkIn } from './support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('tocsin import statuspage (command line)', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(async () => { await server.stop(); });

  it('imports the seed config.yml; the seed curl lines then refresh 1 and 2 items', { timeout: 30_000 }, async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tocsin-statuspage-')), 'config.yml');
    writeFileSync(file, seedConfig);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'import', 'statuspage', file, '--namespace', 'nipe'], {
      cwd: root, env: { PATH: process.env.PATH ?? '', DATABASE_URL: server.running.ctx.settings.databaseUrl, TOCSIN_PUBLIC_URL: 'http://status.example' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c; });
    child.stderr.on('data', (c: Buffer) => { out += c; });
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, out);
    assert.match(out, /created nipe\/statuspage\/somegroup-http {2}\(GET http:\/\/status\.example\/refresh\/http with X-Token\)/);
    assert.match(out, /created status page "statuspage"/);
    assert.equal((await checkIn(server, '/refresh/dns', { headers: { 'X-Token': seedToken } })).text, '{"refreshed": 1}');
    assert.equal((await checkIn(server, '/refresh/http', { headers: { 'X-Token': seedToken } })).text, '{"refreshed": 2}');
  });
});
