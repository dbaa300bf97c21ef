// Against a real SMTP server: aiosmtpd (Debian python3-aiosmtpd) on loopback ports, plain, with
// STARTTLS + AUTH, and with implicit TLS; certificates made by the openssl CLI.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { filesProblem, skipUnless } from '../test-support/availability.js';
import { assertNoOpenSockets } from '../test-support/open-sockets.js';
import { closedPort, startSilentServer, type SilentServer } from '../test-support/local-ports.js';
import { isValidConfig, runCheck } from '../test-support/run-check.js';
import { aiosmtpdPath, debianPython, startSmtpServer } from '../test-support/smtp-server.js';
import { makeSelfSignedCertificate } from '../test-support/tls-certificate.js';
import { smtpChecker } from './smtp-checker.js';

type Server = { port: number; stop(): Promise<void> };
const auth = { user: 'probe', password: 's3cret' };
const missing = filesProblem({ [debianPython]: 'python3', [aiosmtpdPath]: 'python3-aiosmtpd', '/usr/bin/openssl': 'openssl' });

describe('smtp checker', { skip: skipUnless('SMTP', missing) }, () => {
  let dir: string;
  let plain: Server;
  let starttls: Server;
  let implicitTls: Server;
  let loginOnly: Server;
  let silent: SilentServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-smtp-'));
    const certificate = makeSelfSignedCertificate(dir);
    [plain, starttls, implicitTls, loginOnly, silent] = await Promise.all([
      startSmtpServer({ ident: 'Plain relay' }),
      startSmtpServer({ ident: 'Submission', certificate, auth }),
      startSmtpServer({ ident: 'SMTPS', certificate, implicitTls: true, auth }),
      startSmtpServer({ ident: 'Old', auth, loginOnly: true }),
      startSilentServer(),
    ]);
  });

  after(async () => {
    await Promise.all([plain?.stop(), starttls?.stop(), implicitTls?.stop(), loginOnly?.stop(), silent?.close()]);
    rmSync(dir, { recursive: true, force: true });
    await assertNoOpenSockets();
  });

  const target = (server: { port: number }, extra: Record<string, unknown> = {}) => ({ host: '127.0.0.1', port: server.port, ...extra });

  it('is up on a plain server that answers banner, EHLO and QUIT', async () => {
    const outcome = await runCheck(smtpChecker, target(plain, { expectedBanner: 'Plain relay' }));
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, /^SMTP mail\.test answered in .* ms \(no TLS\)$/);
    assert.ok(outcome.timings?.bannerMs !== undefined);
  });

  it('is down when the banner lacks the expected text', async () => {
    const outcome = await runCheck(smtpChecker, target(plain, { expectedBanner: 'Postfix' }));
    assert.equal(outcome.up, false);
    assert.equal(outcome.detail, 'banner "mail.test Plain relay" does not contain "Postfix"');
  });

  it('is down when STARTTLS is required but not offered', async () => {
    const outcome = await runCheck(smtpChecker, target(plain, { starttls: 'require' }));
    assert.equal(outcome.up, false);
    assert.equal(outcome.detail, 'server does not offer STARTTLS');
  });

  it('upgrades with STARTTLS and logs in', async () => {
    const outcome = await runCheck(smtpChecker, target(starttls, {
      starttls: 'require', ignoreTls: true, username: auth.user, password: auth.password,
    }));
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, /\(TLS, logged in as 'probe'\)$/);
    assert.ok(outcome.timings?.tlsMs !== undefined);
  });

  it('is down on a wrong password', async () => {
    const outcome = await runCheck(smtpChecker, target(starttls, { ignoreTls: true, username: auth.user, password: 'wrong' }));
    assert.equal(outcome.up, false);
    assert.match(outcome.detail, /^authentication failed for user 'probe' \(535 /);
  });

  it('logs in with AUTH LOGIN when PLAIN is not offered', async () => {
    const good = await runCheck(smtpChecker, target(loginOnly, { username: auth.user, password: auth.password }));
    assert.equal(good.up, true, good.detail);
    assert.match(good.detail, /\(no TLS, logged in as 'probe'\)$/);
    const bad = await runCheck(smtpChecker, target(loginOnly, { username: auth.user, password: 'nope' }));
    assert.match(bad.detail, /^authentication failed for user 'probe' \(535 /);
  });

  it('is down when the server only offers AUTH after STARTTLS and STARTTLS is off', async () => {
    const outcome = await runCheck(smtpChecker, target(starttls, { starttls: 'never', username: auth.user, password: auth.password }));
    assert.equal(outcome.up, false);
    assert.match(outcome.detail, /^server does not offer AUTH/);
  });

  it('rejects a self-signed certificate unless told to ignore TLS errors', async () => {
    const outcome = await runCheck(smtpChecker, target(starttls));
    assert.equal(outcome.up, false);
    assert.equal(outcome.detail, 'TLS certificate is self-signed');
  });

  it('speaks implicit TLS (SMTPS) and logs in', async () => {
    const outcome = await runCheck(smtpChecker, target(implicitTls, {
      secure: true, ignoreTls: true, username: auth.user, password: auth.password,
    }));
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, /\(TLS, logged in as 'probe'\)$/);
  });

  it('is down when the connection is refused', async () => {
    const outcome = await runCheck(smtpChecker, { host: '127.0.0.1', port: await closedPort() });
    assert.deepEqual([outcome.up, outcome.detail, outcome.latencyMs], [false, 'connection refused', null]);
  });

  it('gives up on a server that never greets, at the timeout', async () => {
    const outcome = await runCheck(smtpChecker, target(silent), 300);
    assert.deepEqual([outcome.up, outcome.detail], [false, 'timed out after 300 ms']);
  });

  it('validates its config', () => {
    assert.equal(isValidConfig(smtpChecker, { host: 'mail.example.com' }), true);
    assert.equal(isValidConfig(smtpChecker, { host: 'mail.example.com', starttls: 'sometimes' }), false);
    assert.equal(isValidConfig(smtpChecker, { host: 'mail.example.com', tls: true }), false);
    assert.equal(smtpChecker.describeTarget({ host: 'mail.example.com', port: 465, secure: true }), 'smtps://mail.example.com:465');
    assert.equal(smtpChecker.describeTarget({ host: 'mail.example.com' }), 'smtp://mail.example.com:25');
  });
});

// A hostile or broken server, which no real SMTP server can play: continuation lines without end.
describe('smtp checker against a greeting that never ends', () => {
  it('is down at once instead of buffering lines until the timeout', { timeout: 10_000 }, async () => {
    let sent = 0;
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      const line = Buffer.from('220-still greeting\r\n'.repeat(1000));
      const pump = () => {
        while (!socket.destroyed && sent < 256 * 1024 * 1024 && socket.write(line)) sent += line.length;
        if (!socket.destroyed && sent < 256 * 1024 * 1024) socket.once('drain', pump);
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const outcome = await runCheck(smtpChecker, { host: '127.0.0.1', port: (server.address() as { port: number }).port }, 5_000);
      assert.deepEqual([outcome.up, outcome.detail], [false, 'server sent a reply of more than 1000 lines']);
      assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
