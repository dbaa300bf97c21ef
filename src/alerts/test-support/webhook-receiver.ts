// A local HTTP receiver for Tocsin's webhook notifier: records every request (with its arrival
// time and X-Tocsin-Key) and answers what the test scripts, 200 by default.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  at: number;
  path: string;
  key: string;
  kind: string;
  body: any;
  headers: IncomingMessage['headers'];
}

/** Decides the answer to one request; may wait (a slow provider). */
export type Responder = (hook: ReceivedHook, index: number) => Promise<{ status: number; body?: string; headers?: Record<string, string> }> | { status: number; body?: string; headers?: Record<string, string> };

export interface WebhookReceiver {
  url: string;
  hooks: ReceivedHook[];
  /** Requests that were answered 2xx. */
  accepted(): ReceivedHook[];
  respond(responder: Responder): void;
  /** Resolves once `count` requests matched `filter` (or rejects after `timeoutMs`). */
  waitFor(count: number, filter?: (h: ReceivedHook) => boolean, timeoutMs?: number): Promise<ReceivedHook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const hooks: ReceivedHook[] = [];
  const accepted: ReceivedHook[] = [];
  let responder: Responder = () => ({ status: 200, body: 'ok' });
  const waiters = new Set<() => void>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any = text;
      try { body = JSON.parse(text); } catch { /* not JSON */ }
      const hook: ReceivedHook = { at, path: req.url ?? '/', key: String(req.headers['x-tocsin-key'] ?? ''), kind: String(req.headers['x-tocsin-event'] ?? ''), body, headers: req.headers };
      const index = hooks.length;
      hooks.push(hook);
      for (const wake of waiters) wake();
      Promise.resolve(responder(hook, index)).then((answer) => {
        if (answer.status >= 200 && answer.status < 300) accepted.push(hook);
        res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        res.end(answer.body ?? '');
        for (const wake of waiters) wake();
      }, () => res.destroy());
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hooks,
    accepted: () => accepted,
    respond(next) { responder = next; },
    waitFor(count, filter = () => true, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const matched = hooks.filter(filter);
          if (matched.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(matched);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} webhook requests within ${timeoutMs} ms, got ${hooks.filter(filter).length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
