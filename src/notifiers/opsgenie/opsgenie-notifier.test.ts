import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonBody, startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, downEvent, sendWith, upEvent } from '../test-support/notifier-fixtures.js';
import { opsgenieNotifier } from './opsgenie-notifier.js';

const apiKey = 'eb243592-faa2-4ba2-a551q-1afdf565c889';
const requestId = '43a29c5c-3dbf-4fa4-9c26-f4f71023e120';

/** Open alerts by alias, as Opsgenie keeps them. */
const openAliases = new Set<string>();

const reply = (status: number, fields: object): FakeReply => ({ status, body: { ...fields, took: 0.002, requestId } });

/** Answers like api.opsgenie.com's Alert API (create and close by alias). */
function fakeOpsgenie(req: RecordedRequest): FakeReply {
  const auth = String(req.headers.authorization ?? '');
  if (!auth.startsWith('GenieKey ')) return reply(401, { message: 'Key format is not valid!' });
  if (auth !== `GenieKey ${apiKey}`) return reply(403, { message: 'You are not authorized for this action.' });
  if (!String(req.headers['content-type']).startsWith('application/json')) return reply(415, { message: 'Unsupported Media Type' });
  const body = JSON.parse(req.body);
  if (req.method === 'POST' && req.path === '/v2/alerts') {
    if (!body.message) return reply(422, { message: 'Request body is not processable. Please check the errors.', errors: { message: 'Message can not be empty.' } });
    if (body.message.length > 130 || (body.alias ?? '').length > 512) return reply(422, { message: 'Request body is not processable. Please check the errors.', errors: { message: 'too long' } });
    openAliases.add(body.alias);
    return reply(202, { result: 'Request will be processed' });
  }
  const close = /^\/v2\/alerts\/([^/]+)\/close$/.exec(req.path);
  if (req.method === 'POST' && close) {
    if (req.query.get('identifierType') !== 'alias') return reply(404, { message: 'Alert does not exist' });
    openAliases.delete(decodeURIComponent(close[1]));
    return reply(202, { result: 'Request will be processed' });
  }
  return reply(404, { message: 'Not found' });
}

describe('opsgenie notifier', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi(fakeOpsgenie);
  });
  after(() => api.close());

  it('creates an alert with alias, description, responders, tags, details and priority', async () => {
    const config = { apiKey, baseUrl: api.url, responders: [{ type: 'team', name: 'ops' }], tags: ['prod'] };
    const receipt = await sendWith(opsgenieNotifier, config);
    assert.deepEqual(receipt, { status: 202, detail: 'create requested', externalId: requestId });
    const req = api.requests.at(-1)!;
    assert.equal(req.path, '/v2/alerts');
    assert.equal(req.headers.authorization, `GenieKey ${apiKey}`);
    const body = jsonBody(req);
    assert.deepEqual({ ...body, description: undefined }, {
      message: '[DOWN] acme/website/api is down',
      alias: 'tocsin-svc_123',
      description: undefined,
      responders: [{ type: 'team', name: 'ops' }],
      tags: ['tocsin', 'prod'],
      details: {
        service: 'acme/website/api',
        state: 'down',
        previousState: 'up',
        cause: 'expected status 200-299, got 503',
        target: 'https://api.acme.test/health',
        link: 'https://tocsin.acme.test/services/acme/website/api',
      },
      entity: 'acme/website/api',
      source: 'Tocsin',
      priority: 'P2',
    });
    assert.match(body.description, /^Public API \(acme\/website\/api\) is down/);
  });

  it('closes the same alias on recovery', async () => {
    openAliases.clear();
    await sendWith(opsgenieNotifier, { apiKey, baseUrl: api.url, priority: 'P1' });
    assert.equal(jsonBody(api.requests.at(-1)!).priority, 'P1');
    assert.deepEqual([...openAliases], ['tocsin-svc_123']);
    const receipt = await sendWith(opsgenieNotifier, { apiKey, baseUrl: api.url }, upEvent());
    assert.equal(receipt.detail, 'close requested');
    const req = api.requests.at(-1)!;
    assert.equal(req.url, '/v2/alerts/tocsin-svc_123/close?identifierType=alias');
    assert.deepEqual(Object.keys(jsonBody(req)), ['source', 'note']);
    assert.deepEqual([...openAliases], []);
  });

  it('a bad key is permanent with Opsgenie\'s message', async () => {
    await assertDeliveryError(sendWith(opsgenieNotifier, { apiKey: 'other-key', baseUrl: api.url }), { permanent: true, status: 403, includes: 'not authorized' });
    api.handle(() => reply(422, { message: 'Request body is not processable. Please check the errors.', errors: { message: 'Message can not be empty.' } }));
    await assertDeliveryError(sendWith(opsgenieNotifier, { apiKey, baseUrl: api.url }), { permanent: true, status: 422, includes: 'Message can not be empty.' });
    api.handle(fakeOpsgenie);
  });

  it('rate limiting is retryable', async () => {
    api.handle(() => ({ ...reply(429, { message: 'You are making too many requests! To avoid errors, we recommend you limit requests.' }), headers: { 'retry-after': '4' } }));
    await assertDeliveryError(sendWith(opsgenieNotifier, { apiKey, baseUrl: api.url }), { permanent: false, status: 429, retryAfterMs: 4000, includes: 'too many requests' });
    api.handle(fakeOpsgenie);
  });

  it('rejects bad configs', () => {
    assertConfigRejected('opsgenie', { apiKey, region: 'asia' }, '/region');
    assertConfigRejected('opsgenie', { apiKey, priority: 'P0' }, '/priority');
    assertConfigRejected('opsgenie', { apiKey, responders: [{ type: 'team' }] }, '/responders/0');
    assertConfigRejected('opsgenie', { apiKey, responders: [{ type: 'group', name: 'x' }] }, '/responders/0/type');
  });
});
