// Start-up refuses a database server that cannot run Tocsin, with a message naming the fix. The
// binlog case runs against a real MariaDB started here with binary logging in STATEMENT format
// (the test machine's own MariaDB logs nothing).
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { serve } from '../app/serve.js';
import { readSettings } from '../config/settings.js';
import { closedPort } from '../checks/test-support/local-ports.js';
import { silentLogger } from '../logger.js';
import { assertServerRequirements, UnsupportedDatabaseError, unmetRequirement } from './server-requirements.js';
import { createTestStore, skipReason } from './test-support/databases.js';

describe('database server requirements', () => {
  it('reads the versions servers report', () => {
    assert.equal(unmetRequirement('mysql', { version: '10.11.19-MariaDB-0+deb12u1-log' }), null);
    assert.equal(unmetRequirement('mysql', { version: '8.0.36' }), null);
    assert.equal(unmetRequirement('mysql', { version: '11.4.2-MariaDB' }), null);
    assert.match(unmetRequirement('mysql', { version: '10.5.23-MariaDB' })!, /MariaDB 10\.6 or later/);
    assert.match(unmetRequirement('mysql', { version: '5.7.44-log' })!, /MySQL 8\.0 or later/);
    assert.equal(unmetRequirement('postgres', { version: '150008' }), null);
    assert.match(unmetRequirement('postgres', { version: '110022' })!, /PostgreSQL 12 or later is needed \(this server reports version 11\)/);
    assert.equal(unmetRequirement('sqlite', { version: '3.45.0' }), null);
  });

  it('refuses statement-based binary logging only when binary logging is on', () => {
    const facts = { version: '8.0.36', binlogFormat: 'STATEMENT' };
    assert.match(unmetRequirement('mysql', { ...facts, binaryLogging: true })!, /binlog_format=MIXED or ROW/);
    assert.equal(unmetRequirement('mysql', { ...facts, binaryLogging: false }), null);
    assert.equal(unmetRequirement('mysql', { ...facts, binaryLogging: true, binlogFormat: 'ROW' }), null);
    assert.equal(unmetRequirement('mysql', { ...facts, binaryLogging: true, binlogFormat: 'MIXED' }), null);
  });

  for (const dialect of ['postgres', 'mysql'] as const) {
    it(`accepts the test machine's ${dialect} server`, { skip: skipReason(dialect) }, async () => {
      const db = await createTestStore(dialect, { migrate: false });
      try {
        await assertServerRequirements(db.store);
      } finally {
        await db.drop();
      }
    });
  }
});

const inCi = process.env.CI === 'true';
const mariadbBinaries = ['/usr/sbin/mariadbd', '/usr/bin/mariadb-install-db'];
const noMariadb = mariadbBinaries.every(existsSync) ? false : `${mariadbBinaries.join(' and ')} not installed`;
if (noMariadb && !inCi) console.log(`# skipping the binlog test: ${noMariadb}`);

describe('a MariaDB that logs in STATEMENT format', { skip: inCi ? false : noMariadb, timeout: 60_000 }, () => {
  let dir: string;
  let server: ChildProcess;
  let url: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-binlog-'));
    const user = userInfo().username;
    await promisify(execFile)(mariadbBinaries[1], ['--no-defaults', `--datadir=${dir}/data`, `--user=${user}`, '--auth-root-authentication-method=normal']);
    const port = await closedPort();
    server = spawn(mariadbBinaries[0], ['--no-defaults', `--datadir=${dir}/data`, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${dir}/sock`,
      `--log-bin=${dir}/data/bin`, '--binlog-format=STATEMENT', '--server-id=1', `--user=${user}`], { stdio: 'ignore' });
    url = `mysql://root@127.0.0.1:${port}/test`;
    await waitForServer(`mysql://root@127.0.0.1:${port}/`);
    const admin = await mysql.createConnection({ uri: `mysql://root@127.0.0.1:${port}/` });
    await admin.query('create database if not exists test');
    await admin.end();
  });
  after(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops start-up with the fix in the message, and starts once the format is MIXED', async () => {
    const settings = readSettings({ DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    await assert.rejects(serve(settings, silentLogger()), (err: Error) => {
      assert.ok(err instanceof UnsupportedDatabaseError);
      assert.match(err.message, /^unsupported database server: the server logs with binlog_format=STATEMENT.*set binlog_format=MIXED or ROW/);
      return true;
    });
    // What the check prevents: a READ COMMITTED write, as the inbox mover and the outbox claim make.
    const admin = await mysql.createConnection({ uri: url });
    await admin.query('create table rc_probe (id int primary key) engine = innodb');
    await admin.query('set session transaction isolation level read committed');
    await assert.rejects(admin.query('insert into rc_probe values (1)'), /impossible to write to binary log/);
    await admin.query("set global binlog_format = 'MIXED'");
    await admin.end();
    const running = await serve(settings, silentLogger());
    await running.stop();
  });
});

async function waitForServer(uri: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const conn = await mysql.createConnection({ uri, connectTimeout: 1000 });
      await conn.end();
      return;
    } catch (err) {
      if (attempt >= 100) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
