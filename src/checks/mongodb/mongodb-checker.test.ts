// MongoDB is not packaged in Debian, so no real server can run here. These tests run the official
// driver against the most faithful local stand-in we have: test-support/mongo-stand-in.ts, a TCP
// server speaking the MongoDB wire protocol (OP_QUERY/OP_REPLY for the first hello, then OP_MSG,
// BSON from the driver's own package) with real SCRAM-SHA-256 logins. Refused and timed-out
// connections need no server at all.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closedPort, startSilentServer, type SilentServer } from '../test-support/local-ports.js';
import { startMongoStandIn, type MongoStandIn } from '../test-support/mongo-stand-in.js';
import { assertNoOpenSockets } from '../test-support/open-sockets.js';
import { isValidConfig, runCheck } from '../test-support/run-check.js';
import { mongodbChecker } from './mongodb-checker.js';

describe('mongodb checker', () => {
  let open: MongoStandIn;
  let secured: MongoStandIn;
  let hanging: MongoStandIn;
  let silent: SilentServer;
  const url = (server: { port: number }, credentials = '') => `mongodb://${credentials}127.0.0.1:${server.port}/?directConnection=true`;

  before(async () => {
    [open, secured, hanging, silent] = await Promise.all([
      startMongoStandIn({ commands: { dbStats: () => ({ ok: 0, errmsg: 'database is on fire', code: 8000, codeName: 'AtlasError' }) } }),
      startMongoStandIn({ user: { name: 'monitor', password: 's3cret' } }),
      startMongoStandIn({ hangOn: 'ping' }),
      startSilentServer(),
    ]);
  });

  after(async () => {
    await Promise.all([open?.stop(), secured?.stop(), hanging?.stop(), silent?.close()]);
    await assertNoOpenSockets();
  });

  it('is up when ping answers', async () => {
    const outcome = await runCheck(mongodbChecker, { url: url(open) });
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, /^ping answered ok in .* ms$/);
    assert.ok(open.received.includes('ping'), `commands seen: ${open.received.join(', ')}`);
  });

  it('logs in with SCRAM-SHA-256, and is down on a wrong password', async () => {
    const good = await runCheck(mongodbChecker, { url: url(secured, 'monitor:s3cret@') });
    assert.equal(good.up, true, good.detail);
    const bad = await runCheck(mongodbChecker, { url: url(secured, 'monitor:wrong@') });
    assert.deepEqual([bad.up, bad.detail], [false, "authentication failed for user 'monitor'"]);
    const anonymous = await runCheck(mongodbChecker, { url: url(secured) });
    assert.deepEqual([anonymous.up, anonymous.detail], [false, 'ping failed: command ping requires authentication (Unauthorized)']);
  });

  it('runs another command on another database and reports its failure', async () => {
    const outcome = await runCheck(mongodbChecker, { url: url(open), database: 'shop', command: { dbStats: 1 } });
    assert.deepEqual([outcome.up, outcome.detail], [false, 'dbStats failed: database is on fire (AtlasError)']);
    const unknown = await runCheck(mongodbChecker, { url: url(open), command: { frobnicate: 1 } });
    assert.deepEqual([unknown.up, unknown.detail], [false, "frobnicate failed: no such command: 'frobnicate' (CommandNotFound)"]);
  });

  it('gives up on a server that stops answering mid-check, at the timeout', async () => {
    const outcome = await runCheck(mongodbChecker, { url: url(hanging) }, 400);
    assert.deepEqual([outcome.up, outcome.detail], [false, 'timed out after 400 ms']);
  });

  it('is down when the connection is refused', async () => {
    const outcome = await runCheck(mongodbChecker, { url: url({ port: await closedPort() }) });
    assert.deepEqual([outcome.up, outcome.detail], [false, 'connection refused']);
  });

  it('gives up on a server that never answers, at the timeout', async () => {
    const outcome = await runCheck(mongodbChecker, { url: url(silent) }, 300);
    assert.deepEqual([outcome.up, outcome.detail], [false, 'timed out after 300 ms']);
  });

  it('validates its config and never shows the password', () => {
    assert.equal(isValidConfig(mongodbChecker, { url: 'mongodb+srv://cluster0.example.net' }), true);
    assert.equal(isValidConfig(mongodbChecker, { url: 'postgres://db' }), false);
    assert.equal(mongodbChecker.describeTarget({ url: 'mongodb://app:secret@db1:27017/?tls=true', database: 'admin', command: { ping: 1 } }), 'mongodb://app@db1:27017/');
  });
});
