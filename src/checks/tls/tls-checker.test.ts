import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTcpServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { createTestCertificates, expiringSoonDays } from '../shared/test-support/certificates.js';
import type { KeyAndCert, TestCertificates } from '../shared/test-support/certificates.js';
import { checkContext, close, closedPort, listen } from '../shared/test-support/servers.js';
import { skipUnlessInstalled } from '../shared/test-support/system-tool.js';
import { tlsChecker } from './tls-checker.js';
import type { TlsConfigSchema } from './tls-checker.js';
import type { Static } from 'typebox';

type TlsConfig = Static<typeof TlsConfigSchema>;
const isoDate = /\d{4}-\d{2}-\d{2}/.source;

describe('tls checker', { skip: skipUnlessInstalled('openssl', 'openssl') }, () => {
  let certs: TestCertificates;
  const servers: Server[] = [];
  const ports: Record<string, number> = {};
  // Servers read (resume) and ignore errors on every socket, so they notice the checker hanging
  // up and can close at the end.
  const quiet = (socket: Socket) => socket.on('error', () => undefined).resume();
  const serve = async (name: string, server: Server) => {
    server.on('tlsClientError', () => undefined);
    servers.push(server);
    ports[name] = await listen(server);
  };
  const tlsServer = (pair: KeyAndCert) => createTlsServer(pair, (socket) => quiet(socket).end());
  before(async () => {
    certs = createTestCertificates();
    await serve('valid', tlsServer(certs.valid));
    await serve('selfSigned', tlsServer(certs.selfSigned));
    await serve('expired', tlsServer(certs.expired));
    await serve('soon', tlsServer(certs.expiringSoon));
    await serve('future', tlsServer(certs.notYetValid));
    await serve('plain', createTcpServer((socket) => quiet(socket).end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    await serve('silent', createTcpServer((socket) => quiet(socket))); // accepts, never speaks TLS
  });
  after(async () => {
    await Promise.all(servers.map((server) => close(server)));
    certs.remove();
  });

  const check = (name: string, config: Partial<TlsConfig> = {}, timeoutMs = 2000) =>
    tlsChecker.run({ host: 'localhost', port: ports[name], ...config }, checkContext(timeoutMs));

  it('is up with days left, expiry date and issuer for a trusted certificate', async () => {
    const outcome = await check('valid', { caPem: certs.caPem });
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, new RegExp(`^certificate valid for (89|90) days \\(expires ${isoDate}\\), issuer Tocsin Test CA$`));
    assert.ok(outcome.latencyMs !== null && outcome.latencyMs >= 0);
  });

  it('checks IP addresses against the certificate', async () => {
    assert.equal((await check('valid', { host: '127.0.0.1', caPem: certs.caPem })).up, true);
  });

  it('is down for an untrusted issuer unless verifyChain is false', async () => {
    const outcome = await check('valid');
    assert.deepEqual([outcome.up, outcome.detail], [false, 'certificate not trusted: TLS certificate is not signed by a trusted authority']);
    assert.equal((await check('valid', { verifyChain: false })).up, true);
  });

  it('is down for a self-signed certificate', async () => {
    assert.equal((await check('selfSigned')).detail, 'certificate not trusted: TLS certificate is self-signed');
  });

  it('is down when the name does not match', async () => {
    const outcome = await check('valid', { caPem: certs.caPem, servername: 'other.test' });
    assert.equal(outcome.detail, 'certificate not trusted: TLS certificate does not match the host name');
  });

  it('is down for an expired certificate even without chain verification', async () => {
    const outcome = await check('expired', { verifyChain: false });
    assert.equal(outcome.up, false);
    assert.match(outcome.detail, new RegExp(`^certificate expired 2 days ago \\(${isoDate}\\)$`));
  });

  it('is down when the certificate expires within certExpiryDays', async () => {
    const outcome = await check('soon', { caPem: certs.caPem });
    assert.match(outcome.detail, new RegExp(`^certificate expires in ${expiringSoonDays} days \\(${isoDate}\\)$`));
    assert.equal((await check('soon', { caPem: certs.caPem, certExpiryDays: 2 })).up, true);
  });

  it('is down for a certificate that is not valid yet', async () => {
    assert.match((await check('future', { caPem: certs.caPem })).detail, new RegExp(`^certificate not valid until ${isoDate}$`));
  });

  it('is down when the handshake fails', async () => {
    const outcome = await check('plain');
    assert.deepEqual(outcome, { up: false, latencyMs: null, detail: 'TLS handshake failed (is the port really TLS?)' });
  });

  it('reports connection refused', async () => {
    const outcome = await tlsChecker.run({ host: '127.0.0.1', port: await closedPort() }, checkContext());
    assert.deepEqual(outcome, { up: false, latencyMs: null, detail: 'connection refused' });
  });

  it('times out when the server never answers the handshake', async () => {
    const started = Date.now();
    const outcome = await check('silent', {}, 300);
    assert.deepEqual(outcome, { up: false, latencyMs: null, detail: 'timed out after 300 ms' });
    assert.ok(Date.now() - started < 1000);
  });
});
