import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createTestCertificates, expiringSoonDays } from '../shared/test-support/certificates.js';
import type { KeyAndCert, TestCertificates } from '../shared/test-support/certificates.js';
import { checkContext, close, closedPort, listen } from '../shared/test-support/servers.js';
import { skipUnlessInstalled } from '../shared/test-support/system-tool.js';
import { assertNoOpenSockets } from '../test-support/open-sockets.js';
import { httpChecker } from './http-checker.js';
import type { HttpConfig } from './http-schema.js';

const check = (config: HttpConfig, timeoutMs = 2000) => httpChecker.run(config, checkContext(timeoutMs));

async function readAll(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

// One plain server with a route per behaviour under test.
async function routes(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const send = (status: number, body = '', headers: Record<string, string> = {}): void => void res.writeHead(status, headers).end(body);
  const match = /^\/(status|redirect)\/(\d+)$/.exec(url.pathname);
  if (match?.[1] === 'status') return send(Number(match[2]), `status ${match[2]}`);
  if (match?.[1] === 'redirect') {
    const left = Number(match[2]);
    return send(302, '', { location: left > 1 ? `/redirect/${left - 1}` : '/ok' });
  }
  switch (url.pathname) {
    case '/ok': return send(200, 'all ok here');
    case '/echo': {
      const body = await readAll(req);
      return send(200, JSON.stringify({ method: req.method, headers: req.headers, body }), { 'content-type': 'application/json' });
    }
    case '/json': return send(200, JSON.stringify({ status: 'up', count: 5, items: [{ name: 'first' }], tags: ['blue', 'green'] }));
    case '/post-then-303': return send(303, '', { location: '/echo' });
    case '/post-then-307': return send(307, '', { location: '/echo' });
    case '/slow': setTimeout(() => send(200, 'slow ok'), 300); return;
    case '/hang': return; // never answers
    case '/huge-headers': return send(200, 'ok', { 'x-filler': 'x'.repeat(20 * 1024) });
    case '/stall': res.writeHead(200); return void res.write('the start of a body that never ends');
    case '/big': res.writeHead(200); res.write('x'.repeat(2 * 1024 * 1024)); return void res.end('needle');
    default: return send(404, 'not found');
  }
}

describe('http checker', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((req, res) => void routes(req, res));
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  after(async () => {
    await close(server);
    await assertNoOpenSockets();
  });

  it('is up on 2xx with status and time in the detail and a timing breakdown', async () => {
    const outcome = await check({ url: `${base}/ok` });
    assert.equal(outcome.up, true);
    assert.match(outcome.detail, /^HTTP 200 in [\d.]+ ms$/);
    assert.ok(outcome.latencyMs !== null && outcome.latencyMs >= 0);
    assert.equal(typeof outcome.timings?.connectMs, 'number');
    assert.equal(typeof outcome.timings?.firstByteMs, 'number');
    assert.equal(typeof outcome.timings?.totalMs, 'number');
    assert.equal(outcome.timings?.dnsMs, undefined, 'an IP literal needs no DNS lookup');
  });

  it('measures DNS when the URL has a host name', async () => {
    const outcome = await check({ url: `${base.replace('127.0.0.1', 'localhost')}/ok` });
    assert.equal(outcome.up, true, outcome.detail);
    assert.equal(typeof outcome.timings?.dnsMs, 'number');
  });

  it('is down on 503 with the expectation in the detail', async () => {
    const outcome = await check({ url: `${base}/status/503` });
    assert.equal(outcome.up, false);
    assert.equal(outcome.detail, 'expected status 200-299, got 503');
  });

  it('accepts listed codes and ranges', async () => {
    assert.equal((await check({ url: `${base}/status/503`, accept: ['200-299', '503'] })).up, true);
    assert.equal((await check({ url: `${base}/status/404`, accept: ['400-499'] })).up, true);
    assert.equal((await check({ url: `${base}/ok`, accept: ['201', '300-399'] })).detail, 'expected status 201, 300-399, got 200');
  });

  it('follows redirects by default', async () => {
    const outcome = await check({ url: `${base}/redirect/3` });
    assert.equal(outcome.up, true);
    assert.match(outcome.detail, /^HTTP 200 in .* after 3 redirects$/);
  });

  it('judges the 3xx itself when redirects are not followed', async () => {
    const outcome = await check({ url: `${base}/redirect/1`, followRedirects: false });
    assert.equal(outcome.detail, 'expected status 200-299, got 302 (redirect to /ok)');
    assert.equal((await check({ url: `${base}/redirect/1`, followRedirects: false, accept: ['302'] })).up, true);
  });

  it('is down after too many redirects', async () => {
    const outcome = await check({ url: `${base}/redirect/5`, maxRedirects: 2 });
    assert.equal(outcome.up, false);
    assert.equal(outcome.detail, 'too many redirects (more than 2), last to /redirect/2');
    assert.equal((await check({ url: `${base}/redirect/2`, maxRedirects: 2 })).up, true);
  });

  it('finds a keyword or reports it missing (case-sensitive)', async () => {
    assert.equal((await check({ url: `${base}/ok`, keyword: 'all ok' })).up, true);
    const missing = await check({ url: `${base}/ok`, keyword: 'ALL OK' });
    assert.equal(missing.up, false);
    assert.equal(missing.detail, 'keyword "ALL OK" not found');
  });

  it('is down when an unwanted keyword is present', async () => {
    assert.equal((await check({ url: `${base}/ok`, keywordAbsent: 'error' })).up, true);
    assert.equal((await check({ url: `${base}/ok`, keywordAbsent: 'ok' })).detail, 'unwanted keyword "ok" found');
  });

  it('reads at most 1 MB of the body for keywords', async () => {
    const outcome = await check({ url: `${base}/big`, keyword: 'needle' });
    assert.equal(outcome.detail, 'keyword "needle" not found');
  });

  it('checks a JSON path assertion', async () => {
    const url = `${base}/json`;
    assert.equal((await check({ url, json: { path: '$.status', value: 'up' } })).up, true);
    assert.equal((await check({ url, json: { path: '$.count', operator: '>', value: 3 } })).up, true);
    assert.equal((await check({ url, json: { path: '$.items[0].name', operator: '==', value: 'first' } })).up, true);
    assert.equal((await check({ url, json: { path: '$.tags', operator: 'contains', value: 'green' } })).up, true);
    assert.equal((await check({ url, json: { path: '$.status', value: 'down' } })).detail, 'JSON $.status is "up", expected == "down"');
    assert.equal((await check({ url, json: { path: '$.nope', value: 1 } })).detail, 'JSON path $.nope not found');
    assert.equal((await check({ url: `${base}/ok`, json: { path: '$.a', value: 1 } })).detail, 'response is not valid JSON');
  });

  it('sends method, body, headers and basic auth', async () => {
    const outcome = await check({
      url: `${base}/echo`, method: 'POST', body: '{"ping":1}',
      headers: { 'Content-Type': 'application/json', 'X-Trace': 'abc' },
      basicAuth: { username: 'ann', password: 's3cret' },
      json: { path: '$.body', value: '{"ping":1}' },
    });
    assert.equal(outcome.up, true, outcome.detail);
    const echoed = await check({ url: `${base}/echo`, basicAuth: { username: 'ann', password: 's3cret' }, keyword: `"authorization":"Basic ${Buffer.from('ann:s3cret').toString('base64')}"` });
    assert.equal(echoed.up, true, echoed.detail);
    assert.equal((await check({ url: `${base}/echo`, headers: { 'X-Trace': 'abc' }, json: { path: '$.headers["x-trace"]', value: 'abc' } })).up, true);
    assert.equal((await check({ url: `${base}/echo`, method: 'PUT', json: { path: '$.method', value: 'PUT' } })).up, true);
  });

  it('sends a bearer token', async () => {
    const outcome = await check({ url: `${base}/echo`, bearerToken: 'tok-123', json: { path: '$.headers.authorization', value: 'Bearer tok-123' } });
    assert.equal(outcome.up, true, outcome.detail);
  });

  it('turns a POST into a GET on 303 and keeps it on 307', async () => {
    const via303 = await check({ url: `${base}/post-then-303`, method: 'POST', body: 'data', json: { path: '$.method', value: 'GET' } });
    assert.equal(via303.up, true, via303.detail);
    const via307 = await check({ url: `${base}/post-then-307`, method: 'POST', body: 'data', json: { path: '$.body', value: 'data' } });
    assert.equal(via307.up, true, via307.detail);
  });

  it('does not send credentials to another origin on redirect', async () => {
    const other = createServer((req, res) => res.end(JSON.stringify({ authorization: req.headers.authorization ?? null })));
    const otherPort = await listen(other);
    const hop = createServer((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${otherPort}/` }).end());
    const hopPort = await listen(hop);
    try {
      const outcome = await check({ url: `http://127.0.0.1:${hopPort}/`, bearerToken: 'secret', json: { path: '$.authorization', value: null } });
      assert.equal(outcome.up, true, outcome.detail);
    } finally {
      await close(hop);
      await close(other);
    }
  });

  it('is down when the response is slower than maxResponseTimeMs', async () => {
    const outcome = await check({ url: `${base}/slow`, maxResponseTimeMs: 100 });
    assert.equal(outcome.up, false);
    assert.match(outcome.detail, /^response took \d+ ms, limit 100 ms$/);
    assert.equal((await check({ url: `${base}/slow`, maxResponseTimeMs: 1500 })).up, true);
  });

  it('times out on a server that never answers', async () => {
    const started = Date.now();
    const outcome = await check({ url: `${base}/hang` }, 300);
    assert.equal(outcome.up, false);
    assert.equal(outcome.detail, 'timed out after 300 ms');
    assert.ok(Date.now() - started < 1000);
  });

  it('times out on a body that never ends', async () => {
    const outcome = await check({ url: `${base}/stall`, keyword: 'never' }, 300);
    assert.deepEqual([outcome.up, outcome.detail], [false, 'timed out after 300 ms']);
  });

  it('reports response headers over 16 KB', async () => {
    assert.equal((await check({ url: `${base}/huge-headers` })).detail, 'response headers too large');
  });

  it('reports connection refused', async () => {
    const outcome = await check({ url: `http://127.0.0.1:${await closedPort()}/` });
    assert.deepEqual([outcome.up, outcome.detail, outcome.latencyMs], [false, 'connection refused', null]);
  });

  it('reports an invalid URL instead of throwing', async () => {
    assert.equal((await check({ url: 'http://' })).detail, 'invalid URL http://');
  });

  it('rejects both basic auth and a bearer token', async () => {
    const outcome = await check({ url: `${base}/ok`, bearerToken: 't', basicAuth: { username: 'a', password: 'b' } });
    assert.equal(outcome.detail, 'set either basicAuth or bearerToken, not both');
  });

  describe('IPv6', () => {
    let v6: Server;
    let port: number;
    before(async () => {
      v6 = createServer((_req, res) => res.end('v6 ok'));
      port = await listen(v6, '::1');
    });
    after(() => close(v6));

    it('reaches ::1 with ipFamily 6 or auto', async () => {
      assert.equal((await check({ url: `http://[::1]:${port}/`, ipFamily: 6, keyword: 'v6 ok' })).up, true);
      assert.equal((await check({ url: `http://[::1]:${port}/` })).up, true);
    });

    it('refuses an IPv6 literal with ipFamily 4', async () => {
      const outcome = await check({ url: `http://[::1]:${port}/`, ipFamily: 4 });
      assert.equal(outcome.detail, 'ipFamily is 4 but ::1 is an IPv6 address');
    });

    it('resolves the name with the chosen family only', async () => {
      // The IPv4-only server: reachable through localhost over IPv4, never over IPv6 (whether this
      // machine's localhost has no IPv6 address or ::1, where nothing listens on that port).
      const url = `${base.replace('127.0.0.1', 'localhost')}/ok`;
      assert.equal((await check({ url, ipFamily: 4 })).up, true);
      const outcome = await check({ url, ipFamily: 6 });
      assert.equal(outcome.up, false);
      assert.match(outcome.detail, /^(host name not found|connection refused)$/);
    });
  });
});

describe('http checker over TLS', { skip: skipUnlessInstalled('openssl', 'openssl') }, () => {
  let certs: TestCertificates;
  const servers: Server[] = [];
  const urls: Record<string, string> = {};
  const serve = async (name: string, pair: KeyAndCert) => {
    const server = createHttpsServer(pair, (_req, res) => res.end('secure ok'));
    servers.push(server);
    urls[name] = `https://localhost:${await listen(server)}/`;
  };
  before(async () => {
    certs = createTestCertificates();
    await serve('valid', certs.valid);
    await serve('selfSigned', certs.selfSigned);
    await serve('expired', certs.expired);
    await serve('soon', certs.expiringSoon);
  });
  after(async () => {
    await Promise.all(servers.map(close));
    certs.remove();
    await assertNoOpenSockets();
  });

  it('is up with a trusted certificate and reports TLS time', async () => {
    const outcome = await check({ url: urls.valid, caPem: certs.caPem, keyword: 'secure ok' });
    assert.equal(outcome.up, true, outcome.detail);
    assert.equal(typeof outcome.timings?.tlsMs, 'number');
  });

  it('fails verification of a self-signed certificate unless ignoreTls', async () => {
    const strict = await check({ url: urls.selfSigned });
    assert.deepEqual([strict.up, strict.detail], [false, 'TLS certificate is self-signed']);
    assert.equal((await check({ url: urls.selfSigned, ignoreTls: true })).up, true);
  });

  it('is down on an expired certificate, with or without verification', async () => {
    const strict = await check({ url: urls.expired, caPem: certs.caPem });
    assert.deepEqual([strict.up, strict.detail], [false, 'TLS certificate has expired']);
    const lax = await check({ url: urls.expired, ignoreTls: true });
    assert.equal(lax.up, false);
    assert.match(lax.detail, /^certificate expired 2 days ago \(\d{4}-\d{2}-\d{2}\)$/);
    assert.equal((await check({ url: urls.expired, ignoreTls: true, certExpiryDays: 0 })).up, true);
  });

  it('is down when the certificate expires within certExpiryDays', async () => {
    const outcome = await check({ url: urls.soon, caPem: certs.caPem });
    assert.equal(outcome.up, false);
    assert.match(outcome.detail, new RegExp(`^certificate expires in ${expiringSoonDays} days \\(\\d{4}-\\d{2}-\\d{2}\\)$`));
    assert.equal((await check({ url: urls.soon, caPem: certs.caPem, certExpiryDays: 3 })).up, true);
  });
});
