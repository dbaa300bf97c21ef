import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonBody, startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, sendWith, upEvent } from '../test-support/notifier-fixtures.js';
import { ntfyNotifier } from './ntfy-notifier.js';

const token = 'tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2';
const basic = `Basic ${Buffer.from('phil:mypass').toString('base64')}`;

const ntfyError = (http: number, code: number, error: string): FakeReply => ({ status: http, body: { code, http, error, link: 'https://ntfy.sh/docs/publish/' } });

/** Answers like an ntfy server: topics starting with "private" need credentials. */
function fakeNtfy(req: RecordedRequest): FakeReply {
  if (req.method !== 'POST' && req.method !== 'PUT') return ntfyError(405, 40500, 'method not allowed');
  if (req.path !== '/') return ntfyError(404, 40401, 'page not found');
  const auth = req.headers.authorization;
  if (auth !== undefined && auth !== `Bearer ${token}` && auth !== basic) return ntfyError(401, 40101, 'unauthorized');
  let body: any;
  try {
    body = JSON.parse(req.body);
  } catch {
    return ntfyError(400, 40024, 'invalid request: request body must be message JSON');
  }
  if (!/^[-_A-Za-z0-9]{1,64}$/.test(body.topic ?? '')) return ntfyError(400, 40009, 'invalid topic');
  if (body.topic.startsWith('private') && auth === undefined) return ntfyError(403, 40301, 'forbidden');
  if (body.priority !== undefined && !(Number.isInteger(body.priority) && body.priority >= 1 && body.priority <= 5)) return ntfyError(400, 40007, 'invalid priority');
  return { status: 200, body: { id: 'sPs71M8A2T', time: 1714565100, expires: 1714608300, event: 'message', topic: body.topic, title: body.title, message: body.message, priority: body.priority, tags: body.tags } };
}

describe('ntfy notifier', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi(fakeNtfy);
  });
  after(() => api.close());

  it('publishes JSON to the topic with high priority, tags and the link on click', async () => {
    const receipt = await sendWith(ntfyNotifier, { topic: 'private-ops', baseUrl: api.url, token, tags: ['prod'] });
    assert.deepEqual(receipt, { status: 200, detail: 'published', externalId: 'sPs71M8A2T' });
    const req = api.requests.at(-1)!;
    assert.equal(req.headers.authorization, `Bearer ${token}`);
    const body = jsonBody(req);
    assert.deepEqual(Object.keys(body).sort(), ['click', 'message', 'priority', 'tags', 'title', 'topic']);
    assert.equal(body.topic, 'private-ops');
    assert.equal(body.title, '[DOWN] acme/website/api is down');
    assert.match(body.message, /^Public API \(acme\/website\/api\) is down: expected status/);
    assert.equal(body.priority, 4);
    assert.deepEqual(body.tags, ['rotating_light', 'prod']);
    assert.equal(body.click, 'https://tocsin.acme.test/services/acme/website/api');
  });

  it('sends recoveries at default priority, Markdown on request, with basic auth', async () => {
    await sendWith(ntfyNotifier, { topic: 'private-ops', baseUrl: api.url, username: 'phil', password: 'mypass', priority: 5, markdown: true }, upEvent());
    const req = api.requests.at(-1)!;
    assert.equal(req.headers.authorization, basic);
    const body = jsonBody(req);
    assert.equal(body.priority, 3);
    assert.deepEqual(body.tags, ['white_check_mark']);
    assert.equal(body.markdown, true);
    assert.match(body.message, /^\*\*Public API\*\*/);
  });

  it('a forbidden topic or a bad token is permanent with ntfy\'s error', async () => {
    await assertDeliveryError(sendWith(ntfyNotifier, { topic: 'private-ops', baseUrl: api.url }), { permanent: true, status: 403, includes: 'forbidden (40301)' });
    await assertDeliveryError(sendWith(ntfyNotifier, { topic: 'ops', baseUrl: api.url, token: 'tk_wrong' }), { permanent: true, status: 401, includes: 'unauthorized' });
  });

  it('rate limiting is retryable', async () => {
    api.handle(() => ({ ...ntfyError(429, 42901, 'limit reached: too many requests'), headers: { 'retry-after': '10' } }));
    await assertDeliveryError(sendWith(ntfyNotifier, { topic: 'ops', baseUrl: api.url }), { permanent: false, status: 429, retryAfterMs: 10_000, includes: 'limit reached' });
    api.handle(fakeNtfy);
  });

  it('rejects bad configs', () => {
    assertConfigRejected('ntfy', { topic: 'has spaces' }, '/topic');
    assertConfigRejected('ntfy', { topic: 'ops', priority: 6 }, '/priority');
    assertConfigRejected('ntfy', { topic: 'ops', username: 'phil' }, '/password');
    assertConfigRejected('ntfy', { topic: 'ops', token, username: 'phil', password: 'x' }, '/token');
  });
});
