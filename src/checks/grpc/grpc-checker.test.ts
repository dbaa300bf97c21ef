// Against real grpc-js servers started by the test that implement grpc.health.v1.Health from the
// published health.proto (via protobufjs), plain and with TLS (a self-signed certificate).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { filesProblem, skipUnless } from '../test-support/availability.js';
import { startGrpcHealthServer, type TestGrpcServer } from '../test-support/grpc-health-server.js';
import { closedPort, startSilentServer, type SilentServer } from '../test-support/local-ports.js';
import { assertNoOpenSockets } from '../test-support/open-sockets.js';
import { isValidConfig, runCheck } from '../test-support/run-check.js';
import { makeSelfSignedCertificate, type TestCertificate } from '../test-support/tls-certificate.js';
import { grpcChecker } from './grpc-checker.js';
import { decodeHealthCheckResponse, encodeHealthCheckRequest, encodeVarint } from './health-messages.js';

const statuses = { '': 'SERVING', 'shop.Orders': 'SERVING', 'shop.Billing': 'NOT_SERVING' } as const;

describe('grpc checker', () => {
  let plain: TestGrpcServer;
  let bare: TestGrpcServer;
  let silent: SilentServer;

  before(async () => {
    [plain, bare, silent] = await Promise.all([
      startGrpcHealthServer({ ...statuses }),
      startGrpcHealthServer(null),
      startSilentServer(),
    ]);
  });

  after(async () => {
    await Promise.all([plain?.stop(), bare?.stop(), silent?.close()]);
    await assertNoOpenSockets();
  });

  const target = (server: { port: number }, extra: Record<string, unknown> = {}) => ({ host: '127.0.0.1', port: server.port, ...extra });

  it('is up when the server as a whole is SERVING', async () => {
    const outcome = await runCheck(grpcChecker, target(plain));
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, /^server is SERVING \(.* ms\)$/);
  });

  it('asks about a named service', async () => {
    const orders = await runCheck(grpcChecker, target(plain, { service: 'shop.Orders' }));
    assert.equal(orders.up, true, orders.detail);
    const billing = await runCheck(grpcChecker, target(plain, { service: 'shop.Billing' }));
    assert.deepEqual([billing.up, billing.detail], [false, "service 'shop.Billing' is NOT_SERVING"]);
    const unknown = await runCheck(grpcChecker, target(plain, { service: 'shop.Nope' }));
    assert.deepEqual([unknown.up, unknown.detail], [false, "service 'shop.Nope' is unknown to the server"]);
  });

  it('is down when the server has no health service', async () => {
    const outcome = await runCheck(grpcChecker, target(bare));
    assert.deepEqual([outcome.up, outcome.detail], [false, 'server does not implement the gRPC health service']);
  });

  it('is down when the connection is refused', async () => {
    const outcome = await runCheck(grpcChecker, { host: '127.0.0.1', port: await closedPort() });
    assert.deepEqual([outcome.up, outcome.detail], [false, 'connection refused']);
  });

  it('gives up on a server that never answers, at the timeout', async () => {
    const outcome = await runCheck(grpcChecker, target(silent), 300);
    assert.deepEqual([outcome.up, outcome.detail], [false, 'timed out after 300 ms']);
  });

  it('encodes and decodes the health messages like protobuf', () => {
    assert.deepEqual(encodeHealthCheckRequest(''), Buffer.alloc(0));
    assert.deepEqual(encodeHealthCheckRequest('a.B'), Buffer.from([0x0a, 3, 0x61, 0x2e, 0x42]));
    assert.deepEqual(encodeVarint(300), Buffer.from([0xac, 0x02]));
    assert.equal(decodeHealthCheckResponse(Buffer.alloc(0)), 0);
    assert.equal(decodeHealthCheckResponse(Buffer.from([0x08, 0x02])), 2);
    // An unknown length-delimited field 2 before the status is skipped.
    assert.equal(decodeHealthCheckResponse(Buffer.from([0x12, 0x01, 0x00, 0x08, 0x01])), 1);
    assert.throws(() => decodeHealthCheckResponse(Buffer.from([0x08])), /truncated/);
  });

  it('validates its config', () => {
    assert.equal(isValidConfig(grpcChecker, { host: 'api', port: 50051 }), true);
    assert.equal(isValidConfig(grpcChecker, { host: 'api' }), false);
    assert.equal(grpcChecker.describeTarget({ host: 'api', port: 443, service: 'shop.Orders', tls: true, ignoreTls: false }), 'grpcs://api:443/shop.Orders');
  });
});

describe('grpc checker over TLS', { skip: skipUnless('gRPC TLS', filesProblem({ '/usr/bin/openssl': 'openssl' })) }, () => {
  let dir: string;
  let certificate: TestCertificate;
  let secure: TestGrpcServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-grpc-'));
    certificate = makeSelfSignedCertificate(dir);
    secure = await startGrpcHealthServer({ ...statuses }, certificate);
  });

  after(async () => {
    await secure?.stop();
    rmSync(dir, { recursive: true, force: true });
    await assertNoOpenSockets();
  });

  it('checks over TLS with a trusted CA or with TLS errors ignored, and refuses an untrusted certificate', async () => {
    const target = { host: 'localhost', port: secure.port, tls: true };
    const withCa = await runCheck(grpcChecker, { ...target, ca: certificate.cert.toString() });
    assert.equal(withCa.up, true, withCa.detail);
    const ignoring = await runCheck(grpcChecker, { ...target, ignoreTls: true });
    assert.equal(ignoring.up, true, ignoring.detail);
    const strict = await runCheck(grpcChecker, target);
    assert.equal(strict.up, false);
    assert.equal(strict.detail, 'TLS handshake failed: self-signed certificate');
  });
});
