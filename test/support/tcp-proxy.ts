// A TCP proxy in front of a database server, for tests of an outage that must not touch the shared
// server itself: down() cuts every connection and resets new ones (as a dead server behind a load
// balancer does); stall() keeps every connection open but carries nothing either way and accepts
// new ones without answering (a network partition, a server frozen on a full disk or in swap);
// up() lets everything through again.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections reset while down, so far. */
  readonly refused: number;
  down(): void;
  stall(): void;
  up(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let mode: 'up' | 'down' | 'stalled' = 'up';
  let refused = 0;
  const server = net.createServer((client) => {
    if (mode === 'down') {
      refused += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    for (const [socket, other] of [[client, upstream], [upstream, client]] as const) {
      open.add(socket);
      socket.on('error', () => other.destroy());
      socket.on('close', () => {
        open.delete(socket);
        other.destroy();
      });
      socket.pipe(other);
      if (mode === 'stalled') socket.pause();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get refused() {
      return refused;
    },
    down() {
      mode = 'down';
      for (const socket of open) socket.resetAndDestroy();
    },
    stall() {
      mode = 'stalled';
      for (const socket of open) socket.pause();
    },
    up() {
      mode = 'up';
      for (const socket of open) socket.resume();
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of open) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
