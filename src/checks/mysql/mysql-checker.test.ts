// Against the local MariaDB/MySQL server (TOCSIN_TEST_MYSQL_URL, default root on 127.0.0.1:3306):
// a user with a password is created for the login cases and dropped afterwards.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { skipUnless, tcpProblem } from '../test-support/availability.js';
import { closedPort, startSilentServer, type SilentServer } from '../test-support/local-ports.js';
import { assertNoOpenSockets } from '../test-support/open-sockets.js';
import { isValidConfig, runCheck } from '../test-support/run-check.js';
import { mysqlChecker, productVersion } from './mysql-checker.js';

const serverUrl = process.env.TOCSIN_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const server = new URL(serverUrl);
const user = `tocsin_probe_${randomBytes(4).toString('hex')}`;
const password = `pw-${randomBytes(6).toString('hex')}`;

describe('mysql checker', { skip: skipUnless('MySQL', await tcpProblem(server.hostname, Number(server.port || 3306))) }, () => {
  let silent: SilentServer;
  const asProbe = () => ({ host: server.hostname, port: Number(server.port || 3306), user, password });

  before(async () => {
    silent = await startSilentServer();
    const admin = await mysql.createConnection({ uri: serverUrl });
    await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
    await admin.end();
  });

  after(async () => {
    const admin = await mysql.createConnection({ uri: serverUrl });
    await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await admin.end();
    await silent?.close();
    await assertNoOpenSockets();
  });

  it('is up and reports the server version by default', async () => {
    const outcome = await runCheck(mysqlChecker, { url: serverUrl });
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, /^(MySQL|MariaDB) \d+\.\d+\.\d+ answered in .* ms$/);
    assert.ok(outcome.timings?.connectMs !== undefined);
  });

  it('logs in with host, user and password fields', async () => {
    const outcome = await runCheck(mysqlChecker, asProbe());
    assert.equal(outcome.up, true, outcome.detail);
  });

  it('lets explicit fields override the URL', async () => {
    const outcome = await runCheck(mysqlChecker, { url: `mysql://${user}:wrong@${server.host}/`, password });
    assert.equal(outcome.up, true, outcome.detail);
  });

  it('is down on a wrong password', async () => {
    const outcome = await runCheck(mysqlChecker, { ...asProbe(), password: 'wrong' });
    assert.deepEqual([outcome.up, outcome.detail], [false, `authentication failed for user '${user}'`]);
  });

  it('judges the query by its first value and row count', async () => {
    const value = await runCheck(mysqlChecker, { url: serverUrl, query: 'SELECT 6 * 7', expectedValue: '42' });
    assert.equal(value.up, true, value.detail);
    assert.match(value.detail, /^query returned "42" in/);
    const wrong = await runCheck(mysqlChecker, { url: serverUrl, query: 'SELECT 6 * 7', expectedValue: '41' });
    assert.deepEqual([wrong.up, wrong.detail], [false, 'query returned "42", expected "41"']);
    const empty = await runCheck(mysqlChecker, { url: serverUrl, query: 'SELECT 1 FROM DUAL WHERE 1 = 0', minRows: 1 });
    assert.deepEqual([empty.up, empty.detail], [false, 'query returned 0 rows, expected at least 1']);
    const rows = await runCheck(mysqlChecker, { url: serverUrl, query: 'SELECT 1 UNION SELECT 2', minRows: 2 });
    assert.deepEqual([rows.up, rows.detail.replace(/ in .*/, '')], [true, 'query returned 2 rows']);
  });

  it('is down when the query fails or the database does not exist', async () => {
    const broken = await runCheck(mysqlChecker, { url: serverUrl, query: 'SELEC 1' });
    assert.equal(broken.up, false);
    assert.match(broken.detail, /^query failed: You have an error in your SQL syntax/);
    const noDb = await runCheck(mysqlChecker, { url: serverUrl, database: 'tocsin_no_such_db' });
    assert.deepEqual([noDb.up, noDb.detail], [false, "server refused the connection: Unknown database 'tocsin_no_such_db'"]);
  });

  it('gives up on a query that runs past the timeout', async () => {
    const outcome = await runCheck(mysqlChecker, { url: serverUrl, query: 'SELECT SLEEP(1)' }, 300);
    assert.deepEqual([outcome.up, outcome.detail], [false, 'timed out after 300 ms']);
  });

  it('is down when the connection is refused', async () => {
    const outcome = await runCheck(mysqlChecker, { host: '127.0.0.1', port: await closedPort(), user: 'x' });
    assert.deepEqual([outcome.up, outcome.detail], [false, 'connection refused']);
  });

  it('gives up on a server that never greets, at the timeout', async () => {
    const outcome = await runCheck(mysqlChecker, { host: '127.0.0.1', port: silent.port, user: 'x' }, 300);
    assert.deepEqual([outcome.up, outcome.detail], [false, 'timed out after 300 ms']);
  });

  it('validates its config and never shows the password', () => {
    assert.equal(isValidConfig(mysqlChecker, { host: 'db1', minRows: -1 }), false);
    assert.equal(mysqlChecker.describeTarget({ url: 'mysql://app:secret@db1:3307/shop?ssl=%7B%7D' }), 'mysql://app@db1:3307/shop');
    assert.equal(productVersion('10.11.6-MariaDB-0+deb12u1'), 'MariaDB 10.11.6');
    assert.equal(productVersion('8.0.36'), 'MySQL 8.0.36');
  });

  it('says so when there is nothing to connect to', async () => {
    const outcome = await runCheck(mysqlChecker, { query: 'SELECT 1' });
    assert.deepEqual([outcome.up, outcome.detail], [false, 'no server to check: set url or host']);
  });
});
