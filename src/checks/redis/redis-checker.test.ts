// Against the local Redis (TOCSIN_TEST_REDIS_URL, default redis://127.0.0.1:6379): an ACL user is
// created for the login cases and deleted afterwards. rediss:// runs against a private TLS-only
// redis-server started by the test with a self-signed certificate.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { filesProblem, skipUnless, tcpProblem } from '../test-support/availability.js';
import { closedPort, startSilentServer, type SilentServer } from '../test-support/local-ports.js';
import { assertNoOpenSockets } from '../test-support/open-sockets.js';
import { redisServerPath, startRedisTlsServer } from '../test-support/redis-tls-server.js';
import { isValidConfig, runCheck } from '../test-support/run-check.js';
import { makeSelfSignedCertificate } from '../test-support/tls-certificate.js';
import { redisChecker } from './redis-checker.js';

const serverUrl = process.env.TOCSIN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const server = new URL(serverUrl);
const user = `tocsin_probe_${randomBytes(4).toString('hex')}`;
const password = `pw-${randomBytes(6).toString('hex')}`;
const key = `tocsin:test:${randomBytes(4).toString('hex')}`;

async function admin(...command: string[]): Promise<void> {
  const client = new Redis(serverUrl, { lazyConnect: true });
  await client.connect();
  await client.call(command[0], ...command.slice(1));
  await client.quit();
}

describe('redis checker', { skip: skipUnless('Redis', await tcpProblem(server.hostname, Number(server.port || 6379))) }, () => {
  let silent: SilentServer;
  const hostPort = `${server.hostname}:${server.port || 6379}`;

  before(async () => {
    silent = await startSilentServer();
    await admin('ACL', 'SETUSER', user, 'on', `>${password}`, '~*', '+@all');
    await admin('SET', key, 'green', 'EX', '60');
  });

  after(async () => {
    await admin('ACL', 'DELUSER', user);
    await admin('DEL', key);
    await silent?.close();
    await assertNoOpenSockets();
  });

  it('is up when PING answers', async () => {
    const outcome = await runCheck(redisChecker, { url: serverUrl });
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, /^PING replied "PONG" in .* ms$/);
  });

  it('logs in as an ACL user, from the URL or from the fields', async () => {
    const fromUrl = await runCheck(redisChecker, { url: `redis://${user}:${password}@${hostPort}` });
    assert.equal(fromUrl.up, true, fromUrl.detail);
    const fromFields = await runCheck(redisChecker, { url: `redis://${hostPort}`, username: user, password });
    assert.equal(fromFields.up, true, fromFields.detail);
  });

  it('is down on a wrong password', async () => {
    const outcome = await runCheck(redisChecker, { url: `redis://${hostPort}`, username: user, password: 'wrong' });
    assert.deepEqual([outcome.up, outcome.detail], [false, `authentication failed for user '${user}'`]);
  });

  it('compares the reply of a command', async () => {
    const good = await runCheck(redisChecker, { url: serverUrl, command: ['GET', key], expectedReply: 'green' });
    assert.equal(good.up, true, good.detail);
    const bad = await runCheck(redisChecker, { url: serverUrl, command: ['GET', key], expectedReply: 'red' });
    assert.deepEqual([bad.up, bad.detail], [false, 'GET replied "green", expected "red"']);
    const missing = await runCheck(redisChecker, { url: serverUrl, command: ['GET', `${key}:none`], expectedReply: 'green' });
    assert.equal(missing.detail, 'GET replied "(nil)", expected "green"');
  });

  it('is down when the server answers with an error', async () => {
    const outcome = await runCheck(redisChecker, { url: serverUrl, command: ['NOSUCHCOMMAND'] });
    assert.equal(outcome.up, false);
    assert.match(outcome.detail, /^server replied with an error: ERR unknown command/);
  });

  it('is down when the connection is refused', async () => {
    const outcome = await runCheck(redisChecker, { url: `redis://127.0.0.1:${await closedPort()}` });
    assert.deepEqual([outcome.up, outcome.detail], [false, 'connection refused']);
  });

  it('gives up on a server that never answers, at the timeout', async () => {
    const outcome = await runCheck(redisChecker, { url: `redis://127.0.0.1:${silent.port}` }, 300);
    assert.deepEqual([outcome.up, outcome.detail], [false, 'timed out after 300 ms']);
  });

  it('validates its config and never shows the password', () => {
    assert.equal(isValidConfig(redisChecker, { url: 'http://cache:6379' }), false);
    assert.equal(isValidConfig(redisChecker, { url: 'redis://cache', command: [] }), false);
    assert.equal(redisChecker.describeTarget({ url: 'redis://app:secret@cache:6379/2', command: ['PING'], ignoreTls: false }), 'redis://app@cache:6379/2');
  });
});

describe('redis checker over TLS', { skip: skipUnless('Redis TLS', filesProblem({ [redisServerPath]: 'redis-server', '/usr/bin/openssl': 'openssl' })) }, () => {
  let dir: string;
  let tlsServer: { port: number; stop(): Promise<void> };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-redis-'));
    tlsServer = await startRedisTlsServer(makeSelfSignedCertificate(dir));
  });

  after(async () => {
    await tlsServer?.stop();
    rmSync(dir, { recursive: true, force: true });
    await assertNoOpenSockets();
  });

  it('speaks TLS with rediss://, rejecting a self-signed certificate unless told not to', async () => {
    const url = `rediss://localhost:${tlsServer.port}`;
    const trusting = await runCheck(redisChecker, { url, ignoreTls: true });
    assert.equal(trusting.up, true, trusting.detail);
    const strict = await runCheck(redisChecker, { url });
    assert.deepEqual([strict.up, strict.detail], [false, 'TLS certificate is self-signed']);
  });
});
