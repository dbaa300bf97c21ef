import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { openStore } from './connect.js';
import { createTestStore, skipReason, testMysqlUrl, testPostgresUrl } from './test-support/databases.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a pooled connection dropped by the server while idle', () => {
  it('is reported and replaced on PostgreSQL, not a crash', { skip: skipReason('postgres') }, async () => {
    const t = await createTestStore('postgres', { migrate: false });
    const errors: Error[] = [];
    const store = openStore({ dialect: 'postgres', location: t.url }, { onIdleError: (e) => errors.push(e) });
    try {
      await sql`select 1`.execute(store.db);
      const admin = new pg.Client({ connectionString: testPostgresUrl });
      await admin.connect();
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [new URL(t.url).pathname.slice(1)]);
      await admin.end();
      await wait(300);
      assert.ok(errors.length >= 1, 'the idle error was reported');
      const row = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      assert.equal(row.rows[0].one, 1, 'a new connection serves the next query');
    } finally {
      await store.close();
      await t.drop();
    }
  });

  it('is reported and replaced on MySQL/MariaDB, not a crash', { skip: skipReason('mysql') }, async () => {
    const t = await createTestStore('mysql', { migrate: false });
    const errors: Error[] = [];
    const store = openStore({ dialect: 'mysql', location: t.url }, { onIdleError: (e) => errors.push(e) });
    try {
      const { rows } = await sql<{ id: number }>`select connection_id() as id`.execute(store.db);
      const admin = await mysql.createConnection({ uri: testMysqlUrl });
      await admin.query(`KILL ${Number(rows[0].id)}`);
      await admin.end();
      await wait(300);
      const row = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      assert.equal(Number(row.rows[0].one), 1, 'a new connection serves the next query');
    } finally {
      await store.close();
      await t.drop();
    }
  });
});

describe('a pooled connection dropped by the server while lent out', () => {
  // Between two statements of a transaction the connection has no query in progress; pg then
  // emits 'error' on the client itself, which crashed the whole server when nothing listened.
  for (const pool of ['main', 'check-in'] as const) {
    it(`fails the transaction on PostgreSQL's ${pool} pool, not the process`, { skip: skipReason('postgres') }, async () => {
      const t = await createTestStore('postgres', { migrate: false });
      const store = openStore({ dialect: 'postgres', location: t.url }, { onIdleError: () => {} });
      const db = pool === 'main' ? store.db : store.postgresCheckInDb!;
      try {
        const outcome = db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          const admin = new pg.Client({ connectionString: testPostgresUrl });
          await admin.connect();
          await admin.query('select pg_terminate_backend($1)', [rows[0].pid]);
          await admin.end();
          await wait(300); // the client learns of the cut while it runs no query
          await sql`select 1`.execute(trx);
        });
        await assert.rejects(outcome);
        const row = await sql<{ one: number }>`select 1 as one`.execute(db);
        assert.equal(row.rows[0].one, 1, 'a new connection serves the next query');
      } finally {
        await store.close();
        await t.drop();
      }
    });
  }
});
