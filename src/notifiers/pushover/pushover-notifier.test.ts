import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formBody, startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, downEvent, fixedNow, sendWith, upEvent } from '../test-support/notifier-fixtures.js';
import { pushoverNotifier } from './pushover-notifier.js';

const appToken = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const userKey = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';
const requestId = '5042853c-402d-4a18-abcb-168734a801de';

const pushoverError = (status: number, field: string, message: string): FakeReply => ({ status, body: { [field]: 'invalid', errors: [message], status: 0, request: requestId } });

/** Answers like api.pushover.net/1/messages.json. */
function fakePushover(req: RecordedRequest): FakeReply {
  if (req.path !== '/1/messages.json' || req.method !== 'POST') return { status: 404, body: 'not found' };
  const form = formBody(req);
  if (form.get('token') !== appToken) return pushoverError(400, 'token', 'application token is invalid');
  if (form.get('user') !== userKey) return pushoverError(400, 'user', 'user identifier is not a valid user, group, or subscribed user key');
  const message = form.get('message') ?? '';
  if (message === '') return pushoverError(400, 'message', 'message cannot be blank');
  if (message.length > 1024) return pushoverError(400, 'message', 'message is too long');
  if ((form.get('title') ?? '').length > 250) return pushoverError(400, 'title', 'title is too long');
  const priority = Number(form.get('priority') ?? 0);
  if (priority === 2 && (!form.get('retry') || !form.get('expire'))) return pushoverError(400, 'retry', 'retry is invalid');
  return { status: 200, body: { status: 1, request: requestId, ...(priority === 2 ? { receipt: 'rLqVuqTRh62UzxtmqiaLzQmVcPgiCy' } : {}) } };
}

describe('pushover notifier', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi(fakePushover);
  });
  after(() => api.close());

  it('posts the form: token, user, HTML message, title, high priority, timestamp and URL', async () => {
    const receipt = await sendWith(pushoverNotifier, { appToken, userKey, baseUrl: api.url, sound: 'siren', device: 'phone' });
    assert.deepEqual(receipt, { status: 200, detail: 'sent', externalId: requestId });
    const form = formBody(api.requests.at(-1)!);
    assert.equal(api.requests.at(-1)!.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.deepEqual(Object.fromEntries(form), {
      token: appToken,
      user: userKey,
      title: '[DOWN] acme/website/api is down',
      message: form.get('message'),
      html: '1',
      priority: '1',
      timestamp: String(fixedNow / 1000),
      url: 'https://tocsin.acme.test/services/acme/website/api',
      url_title: 'Open in Tocsin',
      device: 'phone',
      sound: 'siren',
    });
    assert.match(form.get('message')!, /^<b>Public API<\/b> \(acme\/website\/api\) is <b>down<\/b>/);
  });

  it('emergency priority carries retry/expire and returns the receipt; recoveries are normal', async () => {
    const receipt = await sendWith(pushoverNotifier, { appToken, userKey, baseUrl: api.url, priority: 2, emergencyRetrySeconds: 120 });
    assert.equal(receipt.externalId, 'rLqVuqTRh62UzxtmqiaLzQmVcPgiCy');
    const form = formBody(api.requests.at(-1)!);
    assert.equal(form.get('retry'), '120');
    assert.equal(form.get('expire'), '3600');
    await sendWith(pushoverNotifier, { appToken, userKey, baseUrl: api.url, priority: 2 }, upEvent());
    const recovery = formBody(api.requests.at(-1)!);
    assert.equal(recovery.get('priority'), '0');
    assert.equal(recovery.has('retry'), false);
  });

  it('sends a too long body as truncated plain text', async () => {
    await sendWith(pushoverNotifier, { appToken, userKey, baseUrl: api.url }, downEvent({ cause: '&'.repeat(2000) }));
    const form = formBody(api.requests.at(-1)!);
    assert.equal(form.has('html'), false);
    assert.equal(form.get('message')!.length, 1024);
  });

  it('an invalid user key is permanent with Pushover\'s error', async () => {
    await assertDeliveryError(sendWith(pushoverNotifier, { appToken, userKey: 'x'.repeat(30), baseUrl: api.url }), { permanent: true, status: 400, includes: 'user identifier is not a valid' });
  });

  it('server errors are retryable', async () => {
    api.handle(() => ({ status: 500, headers: { 'retry-after': '15' }, body: 'internal error' }));
    await assertDeliveryError(sendWith(pushoverNotifier, { appToken, userKey, baseUrl: api.url }), { permanent: false, status: 500, retryAfterMs: 15_000 });
    api.handle(fakePushover);
  });

  it('rejects bad configs', () => {
    assertConfigRejected('pushover', { appToken: 'short', userKey }, '/appToken');
    assertConfigRejected('pushover', { appToken, userKey, priority: 3 }, '/priority');
    assertConfigRejected('pushover', { appToken, userKey, emergencyRetrySeconds: 5 }, '/emergencyRetrySeconds');
  });
});
