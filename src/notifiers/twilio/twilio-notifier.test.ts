import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formBody, startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, downEvent, sendWith } from '../test-support/notifier-fixtures.js';
import { twilioNotifier } from './twilio-notifier.js';

const accountSid = `AC${'a1'.repeat(16)}`;
const authToken = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const serviceSid = `MG${'b2'.repeat(16)}`;

function twilioError(status: number, code: number, message: string): FakeReply {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

/** Answers like api.twilio.com's Messages resource. */
function fakeTwilio(req: RecordedRequest): FakeReply {
  const match = /^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\.json$/.exec(req.path);
  if (!match) return twilioError(404, 20404, 'The requested resource was not found');
  const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  if (match[1] !== accountSid || req.headers.authorization !== expected) return twilioError(401, 20003, 'Authenticate');
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return twilioError(400, 21602, 'Message body is required.');
  const form = formBody(req);
  const to = form.get('To') ?? '';
  if (!/^\+[1-9]\d{6,14}$/.test(to)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
  if (to === '+15005550009') return twilioError(400, 21614, `'To' number ${to} is not a valid mobile number`);
  if (!form.get('From') && !form.get('MessagingServiceSid')) return twilioError(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.");
  const body = form.get('Body') ?? '';
  if (body === '') return twilioError(400, 21602, 'Message body is required.');
  if (body.length > 1600) return twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  return { status: 201, body: { sid: `SM${'c3'.repeat(16)}`, status: 'queued', to, from: form.get('From'), body, account_sid: accountSid } };
}

describe('twilio notifier', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi(fakeTwilio);
  });
  after(() => api.close());

  const config = () => ({ accountSid, authToken, to: '+14155550100', from: '+15017122661', baseUrl: api.url });

  it('posts a form with basic auth: To, From and Body (title and text)', async () => {
    const receipt = await sendWith(twilioNotifier, config());
    assert.deepEqual(receipt, { status: 201, detail: 'message queued', externalId: `SM${'c3'.repeat(16)}` });
    const req = api.requests.at(-1)!;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, `/2010-04-01/Accounts/${accountSid}/Messages.json`);
    const form = formBody(req);
    assert.deepEqual([...form.keys()], ['To', 'From', 'Body']);
    assert.equal(form.get('To'), '+14155550100');
    assert.equal(form.get('From'), '+15017122661');
    assert.match(form.get('Body')!, /^\[DOWN\] acme\/website\/api is down\nPublic API \(acme\/website\/api\) is down: expected status 200-299, got 503\n/);
  });

  it('uses the Messaging Service instead of From and keeps within 1600 characters', async () => {
    const { from: _from, ...withoutFrom } = config();
    await sendWith(twilioNotifier, { ...withoutFrom, messagingServiceSid: serviceSid }, downEvent({ cause: 'z'.repeat(3000) }));
    const form = formBody(api.requests.at(-1)!);
    assert.equal(form.get('MessagingServiceSid'), serviceSid);
    assert.equal(form.has('From'), false);
    assert.equal(form.get('Body')!.length, 1600);
  });

  it('bad credentials and invalid numbers are permanent with Twilio\'s message', async () => {
    await assertDeliveryError(sendWith(twilioNotifier, { ...config(), authToken: 'wrong' }), { permanent: true, status: 401, includes: 'Authenticate (20003)' });
    await assertDeliveryError(sendWith(twilioNotifier, { ...config(), to: '+15005550009' }), { permanent: true, status: 400, includes: 'is not a valid mobile number (21614)' });
  });

  it('429 and 5xx are retryable, honouring Retry-After', async () => {
    api.handle(() => ({ ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'retry-after': '2' } }));
    await assertDeliveryError(sendWith(twilioNotifier, config()), { permanent: false, status: 429, retryAfterMs: 2000, includes: 'Too Many Requests' });
    api.handle(() => ({ ...twilioError(503, 20503, 'Service unavailable'), headers: { 'retry-after': '60' } }));
    await assertDeliveryError(sendWith(twilioNotifier, config()), { permanent: false, status: 503, retryAfterMs: 60_000 });
    api.handle(fakeTwilio);
  });

  it('rejects bad configs', () => {
    const { from: _from, ...withoutFrom } = config();
    assertConfigRejected('twilio', withoutFrom, '/from');
    assertConfigRejected('twilio', { ...config(), to: '0155 5550100' }, '/to');
    assertConfigRejected('twilio', { ...config(), accountSid: 'AC123' }, '/accountSid');
  });
});
