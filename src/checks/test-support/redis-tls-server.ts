// A private redis-server (Debian redis-server) that speaks only TLS, on a free loopback port,
// for the rediss:// cases; the shared Redis on 6379 is plain.
import { startOnFreePort } from './local-ports.js';
import { startServerProcess } from './server-process.js';
import type { TestCertificate } from './tls-certificate.js';

export const redisServerPath = '/usr/bin/redis-server';

export function startRedisTlsServer(certificate: TestCertificate): Promise<{ port: number; stop(): Promise<void> }> {
  return startOnFreePort(async (port) => {
    const server = await startServerProcess(redisServerPath, [
      '--port', '0', '--bind', '127.0.0.1', '--tls-port', String(port),
      '--tls-cert-file', certificate.certPath, '--tls-key-file', certificate.keyPath,
      '--tls-ca-cert-file', certificate.certPath, '--tls-auth-clients', 'no',
      '--save', '', '--appendonly', 'no', '--dir', '/tmp',
    ], /Ready to accept connections/);
    return { port, stop: server.stop };
  });
}
