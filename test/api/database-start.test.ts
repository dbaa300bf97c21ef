// Start-up before the database server takes connections (compose starts both at once, a host
// reboots): Tocsin waits for it up to TOCSIN_DATABASE_WAIT, saying so, then serves; past that it
// exits with one line that names the server, without a stack trace or the password. A server that
// accepts connections but never answers ends each try after the driver's connect timeout.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DialectName } from '../../src/store/database-url.js';
import { skipReason } from '../../src/store/test-support/databases.js';
import { spawnServer } from '../support/server-process.js';
import { proxiedDatabase } from '../support/proxied-database.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

for (const dialect of ['postgres', 'mysql'] as DialectName[]) {
  describe(`start-up while the database is not up yet [${dialect}]`, { skip: skipReason(dialect), timeout: 90_000 }, () => {
    it('waits for it, then serves', async () => {
      const database = await proxiedDatabase(dialect, 1);
      const { seeded, proxy } = database;
      proxy.down();
      // Up once Tocsin has knocked twice, however long its own start took.
      const comesUp = setInterval(() => { if (proxy.refused >= 2) proxy.up(); }, 50);
      let server: Awaited<ReturnType<typeof spawnServer>> | undefined;
      try {
        server = await spawnServer({ DATABASE_URL: database.url, TOCSIN_DATABASE_WAIT: '30s' });
        assert.ok(server.logs.some((line) => line.includes('waiting for the database to take connections')), server.logs.join('\n'));
        const res = await fetch(`${server.url}/ping/${seeded.tokens[0]}`, { method: 'POST' });
        assert.equal(res.status, 200);
      } finally {
        clearInterval(comesUp);
        await server?.kill('SIGTERM');
        await database.close();
      }
    });
  });
}

describe('start-up when the database stays unreachable', { skip: skipReason('postgres') }, () => {
  it('exits with one line naming the server, without a stack trace or the password', async () => {
    const proxy = await startTcpProxy(5432);
    proxy.down();
    try {
      const started = Date.now();
      const failure = await spawnServer({ DATABASE_URL: `postgres://tocsin:s3cret@127.0.0.1:${proxy.port}/tocsin`, TOCSIN_DATABASE_WAIT: '1s' })
        .then(() => assert.fail('the server started'), (err: Error) => err.message);
      const lines = failure.split('\n').filter((line) => line.startsWith('tocsin:') || line.startsWith('    at '));
      assert.equal(lines.length, 1, failure);
      assert.match(lines[0], new RegExp(`^tocsin: the database at 127\\.0\\.0\\.1:${proxy.port} cannot be reached: `));
      assert.doesNotMatch(failure, /s3cret/);
      assert.ok(failure.includes('waiting for the database'), 'it tried more than once');
      assert.ok(Date.now() - started < 20_000);
    } finally {
      await proxy.close();
    }
  });
});

for (const dialect of ['postgres', 'mysql'] as DialectName[]) {
  describe(`start-up when the database accepts connections but never answers [${dialect}]`, { skip: skipReason(dialect), timeout: 60_000 }, () => {
    it('gives up after the connect timeout and exits with one line, instead of hanging', async () => {
      const database = await proxiedDatabase(dialect, 1);
      const { proxy } = database;
      proxy.stall();
      try {
        const started = Date.now();
        const failure = await spawnServer({ DATABASE_URL: database.url, TOCSIN_DATABASE_WAIT: '1s' })
          .then(() => assert.fail('the server started'), (err: Error) => err.message);
        assert.doesNotMatch(failure, /did not start in 30 s/, 'it hung');
        const lines = failure.split('\n').filter((line) => line.startsWith('tocsin:'));
        assert.equal(lines.length, 1, failure);
        assert.match(lines[0], new RegExp(`^tocsin: the database at 127\\.0\\.0\\.1:${proxy.port} cannot be reached: `));
        // One try of up to 10 s (pg's connectionTimeoutMillis, mysql2's connectTimeout).
        assert.ok(Date.now() - started < 25_000, `exited after ${Date.now() - started} ms`);
      } finally {
        await database.close();
      }
    });
  });
}
