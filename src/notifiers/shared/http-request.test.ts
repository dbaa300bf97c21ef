import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startFakeApi, type FakeApi } from '../test-support/fake-api.js';
import { assertDeliveryError, fixedNow, testContext } from '../test-support/notifier-fixtures.js';
import { providerErrorText } from './error-text.js';
import { maxAnswerBytes, sendHttp, type HttpAnswer } from './http-request.js';
import { parseRetryAfter, retryAfterMs } from './retry-after.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function answer(status: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers, text, json: typeof body === 'string' ? undefined : body };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('sendHttp', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());

  it('sends JSON or a form and returns the parsed answer', async () => {
    api.handle((req) => ({ status: 201, body: { got: req.headers['content-type'], body: req.body } }));
    const json = await sendHttp({ provider: 'T', url: `${api.url}/j`, json: { a: 1 }, ctx: testContext() });
    assert.deepEqual(json.json, { got: 'application/json', body: '{"a":1}' });
    const form = await sendHttp({ provider: 'T', url: `${api.url}/f`, form: { a: 'x y', b: undefined, c: 'é&' }, ctx: testContext() });
    assert.deepEqual(form.json, { got: 'application/x-www-form-urlencoded', body: 'a=x+y&c=%C3%A9%26' });
    assert.equal(api.requests.at(-1)!.headers['user-agent'], 'Tocsin');
  });

  it('treats redirects and other 4xx as permanent, 408/429/5xx as retryable', async () => {
    for (const [status, permanent] of [[301, true], [400, true], [404, true], [408, false], [429, false], [500, false], [502, false]] as const) {
      api.handle(() => ({ status, headers: { location: 'http://elsewhere' }, body: `status ${status}` }));
      await assertDeliveryError(sendHttp({ provider: 'Prov', url: `${api.url}/s`, json: {}, ctx: testContext() }), {
        permanent, status, includes: `Prov answered HTTP ${status}: status ${status}`,
      });
    }
  });

  it('makes network errors and timeouts retryable', async () => {
    const port = await closedPort();
    await assertDeliveryError(sendHttp({ provider: 'P', url: `http://127.0.0.1:${port}/`, json: {}, ctx: testContext() }), { permanent: false, includes: 'ECONNREFUSED' });
    api.handle(() => new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 400)));
    await assertDeliveryError(sendHttp({ provider: 'P', url: `${api.url}/slow`, json: {}, ctx: testContext(), timeoutMs: 100 }), { permanent: false, includes: 'timed out after 100 ms' });
    await assertDeliveryError(sendHttp({ provider: 'P', url: `${api.url}/slow`, json: {}, ctx: testContext(AbortSignal.timeout(50)) }), { permanent: false, includes: 'aborted' });
  });
});

describe('providerErrorText', () => {
  it('finds the sentence in the error bodies of the providers we talk to', () => {
    const cases: [unknown, string][] = [
      [{ ok: false, error_code: 400, description: 'Bad Request: chat not found' }, 'Bad Request: chat not found (400)'],
      [{ message: 'Unknown Webhook', code: 10015 }, 'Unknown Webhook (10015)'],
      [{ errcode: 'M_FORBIDDEN', error: 'User not in room' }, 'User not in room (M_FORBIDDEN)'],
      [{ status: 'invalid event', message: 'Event object is invalid', errors: ["'routing_key' is missing"] }, "Event object is invalid - 'routing_key' is missing"],
      [{ error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' } }, 'PERMISSION_DENIED: The caller does not have permission'],
      [{ user: 'invalid', errors: ['user identifier is invalid'], status: 0 }, 'user identifier is invalid'],
      [{ error: 'Unauthorized', errorCode: 401, errorDescription: 'you need to provide a valid access token' }, 'you need to provide a valid access token'],
      [{ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' }, 'Unauthorized'],
    ];
    for (const [body, expected] of cases) assert.equal(providerErrorText(answer(400, body)), expected, JSON.stringify(body));
    assert.equal(providerErrorText(answer(403, 'invalid_token\n')), 'invalid_token');
    assert.equal(providerErrorText(answer(500, '')), 'no details given');
    assert.equal(providerErrorText(answer(500, 'x'.repeat(1000))).length, 300);
  });
});

describe('retryAfterMs', () => {
  it('reads Retry-After, then the body hints of Discord, Telegram and Matrix', () => {
    assert.equal(parseRetryAfter('12', fixedNow), 12_000);
    assert.equal(parseRetryAfter(new Date(fixedNow + 5000).toUTCString(), fixedNow), 5000);
    assert.equal(parseRetryAfter('soon', fixedNow), undefined);
    assert.equal(retryAfterMs(answer(429, { retry_after: 1.5 }, { 'retry-after': '3' }), fixedNow), 3000);
    assert.equal(retryAfterMs(answer(429, { message: 'You are being rate limited.', retry_after: 1.5, global: false }), fixedNow), 1500);
    assert.equal(retryAfterMs(answer(429, { ok: false, parameters: { retry_after: 7 } }), fixedNow), 7000);
    assert.equal(retryAfterMs(answer(429, { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 2500 }), fixedNow), 2500);
    assert.equal(retryAfterMs(answer(503, 'busy'), fixedNow), undefined);
  });
});

describe('sendHttp and an endless answer', () => {
  it('reads at most maxAnswerBytes and returns at once, instead of reading until the deadline', { timeout: 10_000 }, async () => {
    let sent = 0;
    const server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (!res.destroyed && sent < 128 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed && sent < 128 * 1024 * 1024) res.once('drain', pump);
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const started = Date.now();
      const answer = await sendHttp({ provider: 'T', url: `http://127.0.0.1:${port}/`, json: {}, ctx: testContext(), timeoutMs: 10_000 });
      assert.equal(answer.text.length, maxAnswerBytes);
      assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
      assert.ok(sent < 64 * 1024 * 1024, `the server got to send ${sent} bytes`);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('sendHttp and an answer that never ends', () => {
  it('gives up at its deadline even when a garbage collection comes in between', { timeout: 10_000 }, async () => {
    const server = createHttpServer((_req, res) => {
      res.writeHead(200);
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write('x')), 50);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const started = Date.now();
      const sending = sendHttp({ provider: 'T', url: `http://127.0.0.1:${port}/`, json: {}, ctx: testContext(), timeoutMs: 500 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      collectGarbage();
      await assert.rejects(sending, /T: request failed \(timed out after 500 ms\)/);
      assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
