// A private Mosquitto broker (Debian mosquitto) on a free loopback port that speaks only TLS and
// wants a password, for the mqtts:// and login cases; the shared broker on 1883 is plain and open.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOnFreePort } from './local-ports.js';
import { startServerProcess, stopAndRemoveDir } from './server-process.js';
import { makeSelfSignedCertificate } from './tls-certificate.js';

export const mosquittoPath = '/usr/sbin/mosquitto';

export interface TestBroker {
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

export async function startTlsMosquitto(user: string, password: string): Promise<TestBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-mqtt-'));
  try {
    const certificate = makeSelfSignedCertificate(dir);
    execFileSync('mosquitto_passwd', ['-b', '-c', join(dir, 'passwd'), user, password], { stdio: 'ignore' });
    return await startOnFreePort(async (port) => {
      writeFileSync(join(dir, 'mosquitto.conf'), [
        // Started as root, mosquitto would switch to its own user, who cannot read this temp dir.
        ...(process.getuid?.() === 0 ? ['user root'] : []),
        'log_dest stderr',
        'persistence false',
        `listener ${port} 127.0.0.1`,
        `certfile ${certificate.certPath}`,
        `keyfile ${certificate.keyPath}`,
        'allow_anonymous false',
        `password_file ${join(dir, 'passwd')}`,
        '',
      ].join('\n'));
      const server = await startServerProcess(mosquittoPath, ['-c', join(dir, 'mosquitto.conf')], /running/);
      return { port, user, password, stop: stopAndRemoveDir(server, dir) };
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
