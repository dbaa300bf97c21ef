// Against a real OpenSSH server (Debian openssh-server) started on a loopback port by the test,
// with generated host and client keys. Logging in needs sshd to run as root (it lets root in with
// the generated key); password logins are only tested failing, since no system password is known
// or changed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { filesProblem, skipUnless } from '../test-support/availability.js';
import { closedPort, startSilentServer, type SilentServer } from '../test-support/local-ports.js';
import { assertNoOpenSockets } from '../test-support/open-sockets.js';
import { isValidConfig, runCheck } from '../test-support/run-check.js';
import { sshdPath, startSshd, type TestSshd } from '../test-support/sshd.js';
import { sshChecker } from './ssh-checker.js';
import { normalizeFingerprint } from './ssh-session.js';

const missing = filesProblem({ [sshdPath]: 'openssh-server', '/usr/bin/ssh-keygen': 'openssh-client' })
  ?? (process.getuid?.() === 0 ? null : 'sshd must run as root to let the test log in');

describe('ssh checker', { skip: skipUnless('SSH', missing) }, () => {
  let sshd: TestSshd;
  let silent: SilentServer;
  let target: Record<string, unknown>;
  let login: Record<string, unknown>;

  before(async () => {
    [sshd, silent] = await Promise.all([startSshd(), startSilentServer()]);
    target = { host: '127.0.0.1', port: sshd.port };
    login = { ...target, username: sshd.user, privateKey: sshd.clientPrivateKey };
  });

  after(async () => {
    await Promise.all([sshd?.stop(), silent?.close()]);
    await assertNoOpenSockets();
  });

  it('is up after the handshake alone', async () => {
    const outcome = await runCheck(sshChecker, target);
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, /^SSH OpenSSH_[\w.]+ completed the handshake in .* ms$/);
  });

  it('is up when the host key matches, down when it does not', async () => {
    const good = await runCheck(sshChecker, { ...target, hostKeyFingerprint: sshd.hostKeyFingerprint });
    assert.equal(good.up, true, good.detail);
    const other = 'SHA256:gz08JeeYV5wpaYOzdXb/yT2OzxtKCZIcEl5MApgJ1LY';
    const bad = await runCheck(sshChecker, { ...login, hostKeyFingerprint: other });
    assert.equal(bad.up, false);
    assert.equal(bad.detail, `host key fingerprint ${sshd.hostKeyFingerprint} does not match the expected ${other}`);
  });

  it('logs in with a key', async () => {
    const outcome = await runCheck(sshChecker, login);
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, new RegExp(`accepted the login of '${sshd.user}' in`));
  });

  it('is down on a wrong password', async () => {
    const outcome = await runCheck(sshChecker, { ...target, username: sshd.user, password: 'not-the-password' });
    assert.deepEqual([outcome.up, outcome.detail], [false, `authentication failed for user '${sshd.user}'`]);
  });

  it('is up when the command exits with the expected code, down otherwise', async () => {
    const ok = await runCheck(sshChecker, { ...login, command: 'test -d /' });
    assert.equal(ok.up, true, ok.detail);
    assert.match(ok.detail, /^command exited with 0 in/);
    const failing = await runCheck(sshChecker, { ...login, command: 'echo disk full >&2; exit 1' });
    assert.deepEqual([failing.up, failing.detail], [false, 'command exited with 1, expected 0: disk full']);
    const expectedOne = await runCheck(sshChecker, { ...login, command: 'exit 1', expectedExitCode: 1 });
    assert.equal(expectedOne.up, true, expectedOne.detail);
  });

  it('is down when the connection is refused', async () => {
    const outcome = await runCheck(sshChecker, { host: '127.0.0.1', port: await closedPort() });
    assert.deepEqual([outcome.up, outcome.detail], [false, 'connection refused']);
  });

  it('gives up on a server that never speaks SSH, at the timeout', async () => {
    const outcome = await runCheck(sshChecker, { host: '127.0.0.1', port: silent.port }, 300);
    assert.equal(outcome.up, false);
    assert.match(outcome.detail, /^timed out/);
  });

  it('reports an unusable private key', async () => {
    const outcome = await runCheck(sshChecker, { ...target, username: 'root', privateKey: 'not a key' });
    assert.equal(outcome.up, false);
    assert.match(outcome.detail, /^private key not usable/);
  });

  it('validates its config', () => {
    assert.equal(isValidConfig(sshChecker, { host: 'db1' }), true);
    assert.equal(isValidConfig(sshChecker, { host: 'db1', hostKeyFingerprint: 'md5:aa' }), false);
    assert.equal(normalizeFingerprint('gz08JeeYV5wpaYOzdXb/yT2OzxtKCZIcEl5MApgJ1LY='), 'SHA256:gz08JeeYV5wpaYOzdXb/yT2OzxtKCZIcEl5MApgJ1LY');
  });
});
