// A tiny HTTP server standing in for a provider's API in tests: it records every request (method,
// URL, headers, raw body) and answers with whatever the test's handler says. Handlers model the
// real API: they check what it requires and answer like it does, including its errors.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query as sent: "/bot123:abc/sendMessage?x=1". */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is (text/plain unless headers say otherwise); anything else as JSON. */
  body?: unknown;
}

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeApi {
  /** Base URL, without a trailing slash: "http://127.0.0.1:40123". */
  url: string;
  requests: RecordedRequest[];
  /** Replaces the handler (for one test's scenario). */
  handle(handler: FakeHandler): void;
  close(): Promise<void>;
}

export function jsonBody(request: RecordedRequest): any {
  return JSON.parse(request.body);
}

export function formBody(request: RecordedRequest): URLSearchParams {
  return new URLSearchParams(request.body);
}

export async function startFakeApi(handler: FakeHandler = () => ({ status: 200 })): Promise<FakeApi> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const parsed = new URL(req.url ?? '/', 'http://fake');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      let reply: FakeReply;
      try {
        reply = await current(recorded);
      } catch (err) {
        reply = { status: 500, body: `fake handler failed: ${(err as Error).message}` };
      }
      const isText = typeof reply.body === 'string';
      const payload = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
      const headers: Record<string, string> = { ...reply.headers };
      if (payload !== '' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['content-type'] = isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
      }
      res.writeHead(reply.status ?? 200, headers);
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      current = next;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
