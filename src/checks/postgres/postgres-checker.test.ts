// Against the local PostgreSQL server (TOCSIN_TEST_POSTGRES_URL, default postgres on
// 127.0.0.1:5432). A role with a password is created for the login case and dropped afterwards.
// That server trusts loopback connections (pg_hba "trust") and never checks passwords, so the
// password cases run against a private instance started by the test (test-support/postgres-instance).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { skipUnless, tcpProblem } from '../test-support/availability.js';
import { closedPort, startSilentServer, type SilentServer } from '../test-support/local-ports.js';
import { assertNoOpenSockets } from '../test-support/open-sockets.js';
import { postgresInstanceProblem, startPostgresInstance, type PostgresInstance } from '../test-support/postgres-instance.js';
import { isValidConfig, runCheck } from '../test-support/run-check.js';
import { postgresChecker } from './postgres-checker.js';

const serverUrl = process.env.TOCSIN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const server = new URL(serverUrl);
const role = `tocsin_probe_${randomBytes(4).toString('hex')}`;
const password = `pw-${randomBytes(6).toString('hex')}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('postgres checker', { skip: skipUnless('PostgreSQL', await tcpProblem(server.hostname, Number(server.port || 5432))) }, () => {
  let silent: SilentServer;
  const host = server.hostname;
  const port = Number(server.port || 5432);

  before(async () => {
    silent = await startSilentServer();
    await admin(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  });

  after(async () => {
    await admin(`DROP ROLE IF EXISTS ${role}`);
    await silent?.close();
    await assertNoOpenSockets();
  });

  it('is up and reports the server version by default', async () => {
    const outcome = await runCheck(postgresChecker, { url: serverUrl });
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, /^PostgreSQL \d+\.\d+ answered in .* ms$/);
  });

  it('logs in with host, user, password and database fields', async () => {
    const outcome = await runCheck(postgresChecker, { host, port, user: role, password, database: 'postgres' });
    assert.equal(outcome.up, true, outcome.detail);
  });

  it('is down when the server refuses the login', async () => {
    const outcome = await runCheck(postgresChecker, { host, port, user: 'tocsin_no_such_role', password: 'x', database: 'postgres' });
    assert.deepEqual([outcome.up, outcome.detail], [false, 'server refused the connection: role "tocsin_no_such_role" does not exist']);
  });

  it('is down when the database does not exist', async () => {
    const outcome = await runCheck(postgresChecker, { url: serverUrl, database: 'tocsin_no_such_db' });
    assert.deepEqual([outcome.up, outcome.detail], [false, 'server refused the connection: database "tocsin_no_such_db" does not exist']);
  });

  it('judges the query by its first value and row count', async () => {
    const value = await runCheck(postgresChecker, { url: serverUrl, query: 'SELECT 6 * 7', expectedValue: '42' });
    assert.equal(value.up, true, value.detail);
    const wrong = await runCheck(postgresChecker, { url: serverUrl, query: "SELECT 'off'::text", expectedValue: 'on' });
    assert.deepEqual([wrong.up, wrong.detail], [false, 'query returned "off", expected "on"']);
    const bool = await runCheck(postgresChecker, { url: serverUrl, query: 'SELECT pg_is_in_recovery()', expectedValue: 'false' });
    assert.equal(bool.up, true, bool.detail);
    const empty = await runCheck(postgresChecker, { url: serverUrl, query: 'SELECT 1 WHERE false', minRows: 1 });
    assert.deepEqual([empty.up, empty.detail], [false, 'query returned 0 rows, expected at least 1']);
    const rows = await runCheck(postgresChecker, { url: serverUrl, query: 'SELECT generate_series(1, 3)', minRows: 3 });
    assert.deepEqual([rows.up, rows.detail.replace(/ in .*/, '')], [true, 'query returned 3 rows']);
  });

  it('is down when the query fails', async () => {
    const outcome = await runCheck(postgresChecker, { url: serverUrl, query: 'SELECT * FROM tocsin_no_such_table' });
    assert.deepEqual([outcome.up, outcome.detail], [false, 'query failed: relation "tocsin_no_such_table" does not exist']);
  });

  it('gives up on a query that runs past the timeout', async () => {
    const outcome = await runCheck(postgresChecker, { url: serverUrl, query: 'SELECT pg_sleep(1)' }, 300);
    assert.deepEqual([outcome.up, outcome.detail], [false, 'timed out after 300 ms']);
  });

  it('is down when the connection is refused', async () => {
    const outcome = await runCheck(postgresChecker, { host: '127.0.0.1', port: await closedPort() });
    assert.deepEqual([outcome.up, outcome.detail], [false, 'connection refused']);
  });

  it('gives up on a server that never answers, at the timeout', async () => {
    const outcome = await runCheck(postgresChecker, { host: '127.0.0.1', port: silent.port }, 300);
    assert.deepEqual([outcome.up, outcome.detail], [false, 'timed out after 300 ms']);
  });

  it('validates its config and never shows the password', () => {
    assert.equal(isValidConfig(postgresChecker, { url: serverUrl, extra: 1 }), false);
    assert.equal(postgresChecker.describeTarget({ host: 'db1', user: 'app', password: 'secret' }), 'postgres://app@db1');
  });
});

describe('postgres checker, password logins', { skip: skipUnless('PostgreSQL password', postgresInstanceProblem()) }, () => {
  let instance: PostgresInstance;

  before(async () => {
    instance = await startPostgresInstance(`pw-${randomBytes(6).toString('hex')}`);
  });

  after(async () => {
    await instance?.stop();
    await assertNoOpenSockets();
  });

  it('is up with the right password and down with a wrong one', async () => {
    const login = { host: '127.0.0.1', port: instance.port, user: instance.user, database: 'postgres' };
    const good = await runCheck(postgresChecker, { ...login, password: instance.password });
    assert.equal(good.up, true, good.detail);
    const bad = await runCheck(postgresChecker, { ...login, password: 'wrong' });
    assert.deepEqual([bad.up, bad.detail], [false, "authentication failed for user 'postgres'"]);
  });
});
