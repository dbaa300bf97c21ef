import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonBody, startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, sendWith, upEvent } from '../test-support/notifier-fixtures.js';
import { gotifyNotifier } from './gotify-notifier.js';

const appToken = 'AvKcy9o-yvVhyKd';

const gotifyError = (status: number, error: string, errorDescription: string): FakeReply => ({ status, body: { error, errorCode: status, errorDescription } });

/** Answers like a Gotify server's POST /message. */
function fakeGotify(req: RecordedRequest): FakeReply {
  if (req.path !== '/gotify/message') return gotifyError(404, 'Not Found', 'page not found');
  const key = req.headers['x-gotify-key'] ?? req.query.get('token');
  if (key !== appToken) return gotifyError(401, 'Unauthorized', 'you need to provide a valid access token or user credentials to access this api');
  const body = JSON.parse(req.body);
  if (!body.message) return gotifyError(400, 'Bad Request', "Field 'message' is required");
  return { status: 200, body: { id: 25, appid: 5, message: body.message, title: body.title, priority: body.priority, extras: body.extras, date: '2024-05-01T12:05:00Z' } };
}

describe('gotify notifier', () => {
  let api: FakeApi;
  const serverUrl = () => `${api.url}/gotify/`;
  before(async () => {
    api = await startFakeApi(fakeGotify);
  });
  after(() => api.close());

  it('posts a Markdown message with the app token, high priority and a click URL', async () => {
    const receipt = await sendWith(gotifyNotifier, { serverUrl: serverUrl(), appToken });
    assert.deepEqual(receipt, { status: 200, detail: 'sent', externalId: '25' });
    const req = api.requests.at(-1)!;
    assert.equal(req.path, '/gotify/message');
    assert.equal(req.headers['content-type'], 'application/json');
    const body = jsonBody(req);
    assert.equal(body.title, '[DOWN] acme/website/api is down');
    assert.match(body.message, /^\*\*Public API\*\* \(acme\/website\/api\) is \*\*down\*\*/);
    assert.equal(body.priority, 8);
    assert.deepEqual(body.extras, {
      'client::display': { contentType: 'text/markdown' },
      'client::notification': { click: { url: 'https://tocsin.acme.test/services/acme/website/api' } },
    });
  });

  it('sends plain text when asked, and recoveries at normal priority', async () => {
    await sendWith(gotifyNotifier, { serverUrl: serverUrl(), appToken, markdown: false, priority: 10 }, upEvent({ link: null }));
    const body = jsonBody(api.requests.at(-1)!);
    assert.equal(body.priority, 5);
    assert.deepEqual(body.extras, { 'client::display': { contentType: 'text/plain' } });
    assert.match(body.message, /^Public API \(acme\/website\/api\) is back up/);
  });

  it('a wrong token is permanent with Gotify\'s description', async () => {
    await assertDeliveryError(sendWith(gotifyNotifier, { serverUrl: serverUrl(), appToken: 'nope' }), { permanent: true, status: 401, includes: 'valid access token' });
  });

  it('server errors are retryable', async () => {
    api.handle(() => ({ ...gotifyError(503, 'Service Unavailable', 'database is locked'), headers: { 'retry-after': '5' } }));
    await assertDeliveryError(sendWith(gotifyNotifier, { serverUrl: serverUrl(), appToken }), { permanent: false, status: 503, retryAfterMs: 5000, includes: 'database is locked' });
    api.handle(fakeGotify);
  });

  it('rejects bad configs', () => {
    assertConfigRejected('gotify', { appToken }, '');
    assertConfigRejected('gotify', { serverUrl: 'https://gotify.example.com', appToken: '' }, '/appToken');
    assertConfigRejected('gotify', { serverUrl: 'https://gotify.example.com', appToken, priority: 11 }, '/priority');
  });
});
