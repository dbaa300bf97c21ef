// The database server cuts Tocsin's connections (a failover, an admin, a proxy) while check-ins
// pour in: the server keeps running, no check-in gets a 500, every 2xx is stored, and check-ins
// succeed again right after. Check-ins caught in the cut may answer 503 (retry), never a lie.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { seedDatabase } from '../../bench/ingest/seed.js';
import type { DialectName } from '../../src/store/database-url.js';
import { skipReason, testMysqlUrl, testPostgresUrl } from '../../src/store/test-support/databases.js';
import { spawnServer } from '../support/server-process.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ends every connection to the database, as an administrator would; returns how many. */
async function cutConnections(dialect: DialectName, database: string): Promise<number> {
  if (dialect === 'postgres') {
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ cut: string }>(
        'select count(pg_terminate_backend(pid)) as cut from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
      return Number(rows[0].cut);
    } finally {
      await admin.end();
    }
  }
  const admin = await mysql.createConnection({ uri: testMysqlUrl });
  try {
    const [rows] = await admin.query('select id from information_schema.processlist where db = ? and id <> connection_id()', [database]);
    const ids = (rows as { id: number }[]).map((r) => Number(r.id));
    for (const id of ids) await admin.query(`kill ${id}`).catch(() => undefined); // it may have ended already
    return ids.length;
  } finally {
    await admin.end();
  }
}

for (const dialect of ['postgres', 'mysql'] as DialectName[]) {
  describe(`check-ins while the database cuts every connection [${dialect}]`, { skip: skipReason(dialect), timeout: 90_000 }, () => {
    it('never answers 500, stores every 2xx and recovers at once', async () => {
      const seeded = await seedDatabase(dialect, 20);
      const database = new URL(seeded.url).pathname.slice(1);
      const server = await spawnServer({ DATABASE_URL: seeded.url });
      let sending = true;
      try {
        const statuses = new Map<number, number>();
        let acknowledged = 0;
        const sender = async (n: number) => {
          for (let i = n; sending; i += 1) {
            let status = 0; // no answer: the server is gone
            try {
              const res = await fetch(`${server.url}/ping/${seeded.tokens[i % seeded.tokens.length]}`, { method: 'POST', body: `run ${i}` });
              await res.arrayBuffer();
              status = res.status;
            } catch {
              sending = false;
            }
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status === 200) acknowledged += 1;
          }
        };
        const senders = Array.from({ length: 12 }, (_, n) => sender(n));
        await wait(1000);
        assert.ok(await cutConnections(dialect, database) > 0, 'the server had connections to cut');
        await wait(1000);
        await cutConnections(dialect, database);
        await wait(1500);
        sending = false;
        await Promise.all(senders);

        assert.equal(server.child.exitCode, null, 'the server is still running');
        const answered = [...statuses.keys()];
        assert.ok(answered.every((status) => status === 200 || status === 503), `answers: ${JSON.stringify(Object.fromEntries(statuses))}`);
        const after = await fetch(`${server.url}/ping/${seeded.tokens[0]}`, { method: 'POST', body: 'after the cuts' });
        assert.equal(after.status, 200, await after.text());
        acknowledged += 1;
        const stored = await seeded.countPings();
        assert.ok(stored >= acknowledged, `${acknowledged} check-ins acknowledged, ${stored} stored`);
      } finally {
        sending = false;
        if (server.child.exitCode !== null) console.log(`the server ended; its last lines:\n${server.logs.slice(-40).join('\n')}`);
        await server.kill('SIGTERM');
        await seeded.drop();
      }
    });
  });
}
