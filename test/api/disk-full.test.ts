// The SQLite file's disk fills up: check-ins and API writes answer 503 with Retry-After (never a
// 500), reads keep working, and writes succeed again once there is room, with every acknowledged
// check-in stored. The disk is a small tmpfs of the test's own, filled by a file; mounting one
// needs root (CI has it), so elsewhere the test says why it skips.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { checkIn, createHeartbeat, createProject, type Heartbeat } from '../heartbeats/support.js';

const disk = mkdtempSync(join(tmpdir(), 'tocsin-full-disk-'));
const filler = join(disk, 'filler');
const mountFailure = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', disk], { stdio: 'pipe' });
    return false;
  } catch (err) {
    rmSync(disk, { recursive: true, force: true });
    const reason = `cannot mount a small tmpfs to fill (needs root): ${(err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message}`;
    console.log(`# skipping the full-disk test: ${reason}`);
    return reason;
  }
})();

/** Fills the disk but for `leaveBytes`. */
function fill(leaveBytes: number): void {
  const { bavail, bsize } = statfsSync(disk);
  execFileSync('fallocate', ['-l', String(Math.max(bsize, bavail * bsize - leaveBytes)), filler]);
}

describe('when the SQLite disk is full', { skip: mountFailure }, () => {
  let server: TestServer;
  let hb: Heartbeat;
  before(async () => {
    server = await startTestServer({ env: { DATABASE_URL: `sqlite:${join(disk, 'tocsin.db')}` } });
    await createProject(server);
    hb = await createHeartbeat(server, 'disk', { schedule: 'period', period: '1h' });
  });
  after(async () => {
    await server?.stop();
    execFileSync('umount', [disk]);
    rmSync(disk, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After, keeps reading, and writes again when there is room', async () => {
    let acknowledged = 0;
    assert.equal((await checkIn(server, `/ping/${hb.token}`, { method: 'POST', body: 'before' })).status, 200);
    acknowledged += 1;
    fill(64 * 1024);
    try {
      const body = 'x'.repeat(9000);
      const answers = new Set<number>();
      let refused: Awaited<ReturnType<typeof checkIn>> | undefined;
      const messages = new Set<string>();
      // Steady check-ins, then a start and a fail (the main path, in a Kysely transaction).
      for (const suffix of ['', '', '', '', '', '', '', '', '/start', '/fail', '']) {
        const res = await checkIn(server, `/ping/${hb.token}${suffix}`, { method: 'POST', body });
        answers.add(res.status);
        if (res.status === 200) acknowledged += 1;
        else {
          refused ??= res;
          messages.add(res.body.error.message);
        }
      }
      assert.deepEqual([...answers].filter((s) => s !== 200 && s !== 503), [], 'only 200 or 503');
      assert.ok(refused, 'the full disk refused a check-in');
      assert.equal(refused.headers.get('retry-after'), '5');
      assert.equal(refused.body.error.code, 'unavailable');
      assert.deepEqual([...messages], ['the database is unavailable right now (unreachable, full or read-only); try again shortly']);

      const created = await server.request('POST', '/api/v1/namespaces', { body: { slug: 'more', name: 'x'.repeat(200), description: 'y'.repeat(5000) } });
      assert.equal(created.status, 503, created.text);
      assert.equal(created.headers.get('retry-after'), '5');
      assert.equal((await server.request('GET', `/api/v1/services/${hb.id}`)).status, 200, 'reads still work');
    } finally {
      rmSync(filler);
    }
    assert.equal((await checkIn(server, `/ping/${hb.token}/start`, { method: 'POST' })).status, 200);
    assert.equal((await checkIn(server, `/ping/${hb.token}`, { method: 'POST' })).status, 200);
    acknowledged += 2;
    assert.equal((await server.request('POST', '/api/v1/namespaces', { body: { slug: 'more', name: 'More' } })).status, 201);
    const pings = await server.request('GET', `/api/v1/services/${hb.id}/pings?limit=500`);
    assert.ok(pings.body.items.length >= acknowledged, `${acknowledged} acknowledged, ${pings.body.items.length} stored`);
  });
});
