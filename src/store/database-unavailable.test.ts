// isDatabaseUnavailable on errors the real drivers raise, next to statement errors that must not
// count (they would turn a bug or bad data into a "try again" that never succeeds).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { closedPort } from '../checks/test-support/local-ports.js';
import { isDatabaseUnavailable } from './database-unavailable.js';
import { skipReason, testMysqlUrl, testPostgresUrl } from './test-support/databases.js';

const caught = async (work: () => Promise<unknown>): Promise<unknown> => work().then(() => assert.fail('expected an error'), (err: unknown) => err);

describe('isDatabaseUnavailable', () => {
  it('knows SQLite out of space, not a broken constraint', () => {
    const db = new SQLite(':memory:');
    db.exec('create table t (x text not null)');
    db.pragma('max_page_count = 3'); // the quickest honest "disk full"
    const full = (() => {
      try {
        for (let i = 0; i < 100; i++) db.prepare('insert into t values (?)').run('x'.repeat(1000));
      } catch (err) {
        return err;
      }
    })();
    assert.equal((full as { code: string }).code, 'SQLITE_FULL');
    assert.equal(isDatabaseUnavailable(full), true);
    const constraint = (() => {
      try {
        db.prepare('insert into t values (null)').run();
      } catch (err) {
        return err;
      }
    })();
    assert.equal(isDatabaseUnavailable(constraint), false);
  });

  it('knows PostgreSQL refused or cut, not a bad statement', { skip: skipReason('postgres') }, async () => {
    const url = new URL(testPostgresUrl);
    url.port = String(await closedPort());
    assert.equal(isDatabaseUnavailable(await caught(() => new pg.Pool({ connectionString: url.href }).query('select 1'))), true);

    const client = new pg.Client({ connectionString: testPostgresUrl });
    await client.connect();
    client.on('error', () => {});
    assert.equal(isDatabaseUnavailable(await caught(() => client.query('select from nowhere'))), false);
    assert.equal(isDatabaseUnavailable(await caught(() => client.query('select 1/0'))), false);
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const other = new pg.Client({ connectionString: testPostgresUrl });
    await other.connect();
    const sleeping = caught(() => client.query('select pg_sleep(5)'));
    await new Promise((r) => setTimeout(r, 200));
    await other.query('select pg_terminate_backend($1)', [rows[0].pid]);
    await other.end();
    const terminated = await sleeping;
    assert.equal((terminated as { code: string }).code, '57P01');
    assert.equal(isDatabaseUnavailable(terminated), true);
    assert.equal(isDatabaseUnavailable(await caught(() => client.query('select 1'))), true, 'the dead client afterwards');
  });

  it('knows MySQL/MariaDB refused or killed, not a bad statement', { skip: skipReason('mysql') }, async () => {
    const url = new URL(testMysqlUrl);
    url.port = String(await closedPort());
    assert.equal(isDatabaseUnavailable(await caught(() => mysql.createConnection({ uri: url.href }))), true);

    const conn = await mysql.createConnection({ uri: testMysqlUrl });
    conn.on('error', () => {});
    assert.equal(isDatabaseUnavailable(await caught(() => conn.query('select from nowhere'))), false);
    assert.equal(isDatabaseUnavailable(await caught(() => conn.query('select * from no_such_table'))), false);
    const [rows] = await conn.query('select connection_id() as id');
    const other = await mysql.createConnection({ uri: testMysqlUrl });
    const sleeping = caught(() => conn.query('select sleep(5)'));
    await new Promise((r) => setTimeout(r, 200));
    await other.query(`kill ${Number((rows as { id: number }[])[0].id)}`);
    await other.end();
    assert.equal(isDatabaseUnavailable(await sleeping), true);
    assert.equal(isDatabaseUnavailable(await caught(() => conn.query('select 1'))), true, 'the dead connection afterwards');
  });

  it('looks inside an AggregateError and a cause, and ignores what is not an error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    assert.equal(isDatabaseUnavailable(new AggregateError([refused])), true);
    assert.equal(isDatabaseUnavailable(new Error('wrapped', { cause: refused })), true);
    for (const value of [null, undefined, 'ECONNREFUSED', 42, new Error('boom'), { code: 23505 }]) {
      assert.equal(isDatabaseUnavailable(value), false, String(value));
    }
  });
});
