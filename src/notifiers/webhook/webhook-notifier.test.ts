import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startFakeApi, jsonBody, type FakeApi, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, downEvent, fixedNow, sendWith } from '../test-support/notifier-fixtures.js';
import { webhookNotifier } from './webhook-notifier.js';

const secret = 'whsec_test_1234';

/** What a receiver following our docs does: recompute the HMAC over "<timestamp>.<raw body>". */
function receiverAccepts(request: RecordedRequest, now: number): boolean {
  const timestamp = String(request.headers['x-tocsin-timestamp']);
  if (Math.abs(now / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`);
  const given = Buffer.from(String(request.headers['x-tocsin-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('webhook notifier', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());

  it('POSTs the event and the rendered message as signed JSON with custom headers', async () => {
    api.handle((req) => {
      if (req.headers['content-type'] !== 'application/json') return { status: 415, body: 'expected JSON' };
      if (req.headers.authorization !== 'Bearer receiver-token') return { status: 401, body: 'bad token' };
      if (!receiverAccepts(req, fixedNow)) return { status: 403, body: 'bad signature' };
      return { status: 204 };
    });
    const config = { url: `${api.url}/hooks/tocsin`, headers: { Authorization: 'Bearer receiver-token' }, secret };
    const receipt = await sendWith(webhookNotifier, config);
    assert.equal(receipt.status, 204);

    const req = api.requests.at(-1)!;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/hooks/tocsin');
    assert.equal(req.headers['x-tocsin-event'], 'down');
    assert.equal(req.headers['x-tocsin-timestamp'], String(fixedNow / 1000));
    assert.match(String(req.headers['x-tocsin-key']), /^[0-9a-f]{32}$/);
    const body = jsonBody(req);
    assert.equal(body.version, 1);
    assert.equal(body.key, req.headers['x-tocsin-key']);
    assert.deepEqual(body.event, downEvent());
    assert.equal(body.message.title, '[DOWN] acme/website/api is down');
    assert.deepEqual(Object.keys(body.message).sort(), ['html', 'markdown', 'mrkdwn', 'text', 'title']);
  });

  it('sends the same idempotency key when one event is retried, another for the next event', async () => {
    api.handle(() => ({ status: 200, body: 'ok' }));
    const config = { url: `${api.url}/hook`, method: 'PUT' };
    await sendWith(webhookNotifier, config);
    await sendWith(webhookNotifier, config);
    await sendWith(webhookNotifier, config, downEvent({ at: fixedNow + 60_000 }));
    const [first, retry, next] = api.requests.slice(-3);
    assert.equal(first.method, 'PUT');
    assert.equal(first.headers['x-tocsin-key'], retry.headers['x-tocsin-key']);
    assert.notEqual(first.headers['x-tocsin-key'], next.headers['x-tocsin-key']);
    assert.equal(first.headers['x-tocsin-signature'], undefined, 'no secret, no signature');
  });

  it('a 4xx answer is permanent and carries the receiver text', async () => {
    api.handle(() => ({ status: 410, body: 'this hook was deleted' }));
    await assertDeliveryError(sendWith(webhookNotifier, { url: `${api.url}/gone` }), { permanent: true, status: 410, includes: 'this hook was deleted' });
  });

  it('5xx and 429 are retryable and honour Retry-After (seconds or HTTP date)', async () => {
    api.handle(() => ({ status: 503, headers: { 'retry-after': '7' }, body: 'maintenance' }));
    await assertDeliveryError(sendWith(webhookNotifier, { url: `${api.url}/x` }), { permanent: false, status: 503, retryAfterMs: 7000 });
    api.handle(() => ({ status: 429, headers: { 'retry-after': new Date(fixedNow + 30_000).toUTCString() } }));
    await assertDeliveryError(sendWith(webhookNotifier, { url: `${api.url}/x` }), { permanent: false, status: 429, retryAfterMs: 30_000 });
  });

  it('rejects bad configs', () => {
    assertConfigRejected('webhook', { url: 'ftp://example.com/x' }, '/url');
    assertConfigRejected('webhook', { url: 'https://example.com', method: 'GET' }, '/method');
    assertConfigRejected('webhook', { url: 'https://example.com', headers: { 'Content-Type': 'text/plain' } }, '/headers/Content-Type');
    assertConfigRejected('webhook', { url: 'https://example.com', headers: { 'bad header': 'x' } }, '/headers/bad header');
    assertConfigRejected('webhook', { url: 'https://example.com', extra: true }, '/extra');
    assertConfigRejected('webhook', { url: 'https://example.com', template: { body: '{{#if}}' } }, '/template/body');
  });
});
