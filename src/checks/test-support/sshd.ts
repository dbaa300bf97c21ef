// A real OpenSSH server (Debian openssh-server) for the SSH checker's tests, on a loopback port,
// with a host key and an authorized client key generated in a temp dir. It lets root in with that
// key (AuthorizedKeysFile points into the temp dir), so no system user is created or changed;
// password logins are allowed but no password is known, so they exercise the refusal path.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { startOnFreePort } from './local-ports.js';
import { startServerProcess, stopAndRemoveDir } from './server-process.js';

export const sshdPath = '/usr/sbin/sshd';

export interface TestSshd {
  port: number;
  user: string;
  /** OpenSSH's "SHA256:..." fingerprint of the server's host key. */
  hostKeyFingerprint: string;
  clientPrivateKey: string;
  stop(): Promise<void>;
}

function generateKey(path: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'tocsin-test', '-f', path], { stdio: 'ignore' });
}

export async function startSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-sshd-'));
  generateKey(join(dir, 'host_key'));
  generateKey(join(dir, 'client_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'host_key.pub')]).toString().split(' ')[1];
  // sshd insists on its privilege separation directory even when started by hand.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true });
  try {
    return await startOnFreePort(async (port) => {
      writeFileSync(join(dir, 'sshd_config'), sshdConfig(dir, port));
      const server = await startServerProcess(sshdPath, ['-D', '-e', '-f', join(dir, 'sshd_config')], /Server listening on/);
      return {
        port,
        user: userInfo().username,
        hostKeyFingerprint: fingerprint,
        clientPrivateKey: readFileSync(join(dir, 'client_key'), 'utf8'),
        stop: stopAndRemoveDir(server, dir),
      };
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function sshdConfig(dir: string, port: number): string {
  return [
    `ListenAddress 127.0.0.1:${port}`,
    `HostKey ${join(dir, 'host_key')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PidFile none',
    'PermitRootLogin yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'MaxAuthTries 3',
    '',
  ].join('\n');
}
