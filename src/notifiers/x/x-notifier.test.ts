import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { jsonBody, startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, downEvent, fixedNow, sendWith } from '../test-support/notifier-fixtures.js';
import { composeTweet, tweetWeight } from './tweet-text.js';
import { xNotifier } from './x-notifier.js';

const secrets = { consumerKey: 'ck-app-123', consumerSecret: 'cs-app-secret', accessToken: '1445-tokenABC', accessTokenSecret: 'ats-user-secret' };

const problem = (status: number, title: string, detail: string): FakeReply => ({ status, body: { title, type: 'about:blank', status, detail } });

/** An independent check of the OAuth 1.0a header, the way X verifies it (RFC 5849, HMAC-SHA1). */
function verifyOAuth(req: RecordedRequest, baseUrl: string, seenNonces: Set<string>): string | null {
  const header = String(req.headers.authorization ?? '');
  if (!header.startsWith('OAuth ')) return 'no OAuth header';
  const params = new Map([...header.slice(6).matchAll(/([\w]+)="([^"]*)"/g)].map((m) => [m[1], decodeURIComponent(m[2])]));
  if (params.get('oauth_consumer_key') !== secrets.consumerKey || params.get('oauth_token') !== secrets.accessToken) return 'unknown key or token';
  if (params.get('oauth_signature_method') !== 'HMAC-SHA1' || params.get('oauth_version') !== '1.0') return 'bad method or version';
  if (Math.abs(Number(params.get('oauth_timestamp')) - fixedNow / 1000) > 300) return 'stale timestamp';
  const nonce = params.get('oauth_nonce') ?? '';
  if (nonce.length < 8 || seenNonces.has(nonce)) return 'nonce reused';
  seenNonces.add(nonce);
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  const signed = [...params].filter(([k]) => k !== 'oauth_signature').map(([k, v]) => `${enc(k)}=${enc(v)}`).sort().join('&');
  const base = `POST&${enc(`${baseUrl}${req.path}`)}&${enc(signed)}`;
  const expected = createHmac('sha1', `${enc(secrets.consumerSecret)}&${enc(secrets.accessTokenSecret)}`).update(base).digest('base64');
  return params.get('oauth_signature') === expected ? null : 'signature mismatch';
}

describe('x notifier', () => {
  let api: FakeApi;
  const nonces = new Set<string>();
  const posted = new Set<string>();
  const fakeX = (req: RecordedRequest): FakeReply => {
    if (req.method !== 'POST' || req.path !== '/2/tweets') return problem(404, 'Not Found Error', 'Not found');
    if (verifyOAuth(req, api.url, nonces) !== null) return problem(401, 'Unauthorized', 'Unauthorized');
    if (!String(req.headers['content-type']).startsWith('application/json')) return problem(400, 'Invalid Request', 'One or more parameters to your request was invalid.');
    const { text } = JSON.parse(req.body);
    if (typeof text !== 'string' || Array.from(text).length > 280) return { status: 400, body: { errors: [{ message: 'Your Tweet text is too long.' }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' } };
    if (posted.has(text)) return problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
    posted.add(text);
    return { status: 201, body: { data: { id: '1445880548472328192', text } } };
  };
  const config = () => ({ ...secrets, baseUrl: api.url });
  before(async () => {
    api = await startFakeApi(fakeX);
  });
  after(() => api.close());

  it('posts the title, cause, time and link with a valid OAuth 1.0a signature', async () => {
    const receipt = await sendWith(xNotifier, config());
    assert.deepEqual(receipt, { status: 201, detail: 'posted', externalId: '1445880548472328192' });
    const req = api.requests.at(-1)!;
    assert.deepEqual(jsonBody(req), {
      text: '[DOWN] acme/website/api is down\nexpected status 200-299, got 503\n2024-05-01T12:05:00Z\nhttps://tocsin.acme.test/services/acme/website/api',
    });
  });

  it('counts a duplicate-content refusal of a retry as delivered', async () => {
    const event = downEvent({ at: fixedNow + 1000 });
    await sendWith(xNotifier, config(), event);
    const retry = await sendWith(xNotifier, config(), event);
    assert.equal(retry.status, 403);
    assert.match(retry.detail!, /already posted/);
  });

  it('fits long alerts into 280 weighted characters, keeping the link whole', async () => {
    const link = 'https://tocsin.acme.test/services/a/very/long/path/that/counts/as/twenty-three/anyway';
    await sendWith(xNotifier, config(), downEvent({ at: fixedNow + 2000, cause: '障害'.repeat(200), link }));
    const { text } = jsonBody(api.requests.at(-1)!);
    assert.ok(tweetWeight(text) <= 280, `weight ${tweetWeight(text)}`);
    assert.ok(text.endsWith(`…\n${link}`));
    assert.equal(tweetWeight(composeTweet(['a'.repeat(300)], null)), 280);
  });

  it('bad credentials are permanent with X\'s detail', async () => {
    await assertDeliveryError(sendWith(xNotifier, { ...config(), accessTokenSecret: 'wrong' }), { permanent: true, status: 401, includes: 'Unauthorized' });
  });

  it('rate limiting is retryable until x-rate-limit-reset', async () => {
    api.handle(() => ({ ...problem(429, 'Too Many Requests', 'Too Many Requests'), headers: { 'x-rate-limit-reset': String(fixedNow / 1000 + 900), 'x-rate-limit-remaining': '0' } }));
    await assertDeliveryError(sendWith(xNotifier, config()), { permanent: false, status: 429, retryAfterMs: 900_000, includes: 'Too Many Requests' });
    api.handle(fakeX);
  });

  it('rejects bad configs', () => {
    assertConfigRejected('x', { ...secrets, consumerKey: '' }, '/consumerKey');
    const { accessToken: _token, ...missing } = secrets;
    assertConfigRejected('x', missing, '');
  });
});
