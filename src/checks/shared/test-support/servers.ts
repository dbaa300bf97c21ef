// Small helpers for tests that start real servers on loopback ephemeral ports.
import type { Server as NetServer } from 'node:net';
import { createServer } from 'node:net';
import type { CheckContext } from '../../types.js';

/** Starts listening on an ephemeral port of `host` and returns that port. */
export async function listen(server: NetServer, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return address.port;
}

/** Stops a server, dropping its open connections (hanging requests included). */
export async function close(server: NetServer & { closeAllConnections?: () => void }): Promise<void> {
  server.closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A loopback port nothing listens on (bound then released), for "connection refused". */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  const port = await listen(server, host);
  await close(server);
  return port;
}

/** What the scheduler would pass: a signal that fires after `timeoutMs`. */
export function checkContext(timeoutMs = 2000): CheckContext {
  return { signal: AbortSignal.timeout(timeoutMs), timeoutMs };
}
