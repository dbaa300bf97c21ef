import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonBody, startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, downEvent, sendWith, upEvent } from '../test-support/notifier-fixtures.js';
import { googleChatNotifier } from './google-chat-notifier.js';

const key = 'AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI';
const token = 'tnTgCeV8_4kFCQqF1iX2wZbS9dEhm-4bYQ2X3nd7G1s';

const googleError = (code: number, status: string, message: string): FakeReply => ({ status: code, body: { error: { code, message, status } } });

/** Answers like chat.googleapis.com's webhook endpoint; remembers threads by key. */
const threads = new Map<string, string>();
function fakeChat(req: RecordedRequest): FakeReply {
  const match = /^\/v1\/spaces\/(\w+)\/messages$/.exec(req.path);
  if (!match) return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
  if (req.query.get('key') !== key) return googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.');
  if (req.query.get('token') !== token) return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
  const body = JSON.parse(req.body);
  if (!body.text && !body.cardsV2) return googleError(400, 'INVALID_ARGUMENT', 'Message cannot be empty. Discarding empty message.');
  if (body.text && body.text.length > 4096) return googleError(400, 'INVALID_ARGUMENT', 'Message text is too long.');
  const threadKey = body.thread?.threadKey;
  const reply = threadKey !== undefined && req.query.get('messageReplyOption') === 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD';
  const thread = reply && threads.has(threadKey) ? threads.get(threadKey)! : `spaces/${match[1]}/threads/T${threads.size + 1}`;
  if (reply) threads.set(threadKey, thread);
  return { status: 200, body: { name: `spaces/${match[1]}/messages/M${Date.now()}`, text: body.text ?? '', thread: { name: thread }, space: { name: `spaces/${match[1]}` } } };
}

describe('google chat notifier', () => {
  let api: FakeApi;
  const webhookUrl = () => `${api.url}/v1/spaces/AAAAbcd/messages?key=${key}&token=${token}`;
  before(async () => {
    api = await startFakeApi(fakeChat);
  });
  after(() => api.close());

  it('posts a text message in Chat format', async () => {
    const receipt = await sendWith(googleChatNotifier, { webhookUrl: webhookUrl() }, downEvent({ cause: 'got <503> & "bad"' }));
    assert.match(receipt.externalId!, /^spaces\/AAAAbcd\/messages\/M\d+$/);
    const req = api.requests.at(-1)!;
    assert.equal(req.query.get('messageReplyOption'), null);
    assert.deepEqual(Object.keys(jsonBody(req)), ['text']);
    assert.equal(jsonBody(req).text, [
      '*[DOWN] acme/website/api is down*',
      '*Public API* (acme/website/api) is *down*: got <503> & "bad"',
      'Target: https://api.acme.test/health',
      'Since: 2024-05-01T12:00:00Z (5m ago)',
      'Previous state: up',
      '<https://tocsin.acme.test/services/acme/website/api|Open in Tocsin>',
    ].join('\n'));
  });

  it('replies in one thread per service, so a recovery lands under its outage', async () => {
    threads.clear();
    await sendWith(googleChatNotifier, { webhookUrl: webhookUrl(), threadPerService: true });
    const down = api.requests.at(-1)!;
    await sendWith(googleChatNotifier, { webhookUrl: webhookUrl(), threadPerService: true }, upEvent());
    const up = api.requests.at(-1)!;
    for (const req of [down, up]) {
      assert.equal(req.query.get('messageReplyOption'), 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD');
      assert.equal(req.query.get('key'), key);
      assert.deepEqual(jsonBody(req).thread, { threadKey: 'tocsin-svc_123' });
    }
    assert.deepEqual([...threads], [['tocsin-svc_123', 'spaces/AAAAbcd/threads/T1']]);
  });

  it('sends a cardsV2 card when asked', async () => {
    await sendWith(googleChatNotifier, { webhookUrl: webhookUrl(), cards: true, threadKey: 'ops' });
    const body = jsonBody(api.requests.at(-1)!);
    assert.equal(body.fallbackText, '[DOWN] acme/website/api is down');
    assert.deepEqual(body.thread, { threadKey: 'ops' });
    const [{ cardId, card }] = body.cardsV2;
    assert.equal(cardId, 'tocsin-alert');
    assert.deepEqual(card.header, { title: '[DOWN] acme/website/api is down', subtitle: 'Public API' });
    const [paragraph, buttons] = card.sections[0].widgets;
    assert.match(paragraph.textParagraph.text, /^<b>Public API<\/b> \(acme\/website\/api\) is <b>down<\/b>: expected status 200-299, got 503<br>\n/);
    assert.deepEqual(buttons, { buttonList: { buttons: [{ text: 'Open in Tocsin', onClick: { openLink: { url: 'https://tocsin.acme.test/services/acme/website/api' } } }] } });
  });

  it('a revoked token is permanent with Google\'s status and message', async () => {
    await assertDeliveryError(sendWith(googleChatNotifier, { webhookUrl: `${api.url}/v1/spaces/AAAAbcd/messages?key=${key}&token=old` }), { permanent: true, status: 401, includes: 'UNAUTHENTICATED: Request had invalid authentication credentials.' });
  });

  it('quota exhaustion is retryable', async () => {
    api.handle(() => ({ ...googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'), headers: { 'retry-after': '9' } }));
    await assertDeliveryError(sendWith(googleChatNotifier, { webhookUrl: webhookUrl() }), { permanent: false, status: 429, retryAfterMs: 9000, includes: 'RESOURCE_EXHAUSTED' });
    api.handle(fakeChat);
  });

  it('rejects bad configs', () => {
    assertConfigRejected('google-chat', { webhookUrl: webhookUrl(), threadKey: 'a', threadPerService: true }, '/threadPerService');
    assertConfigRejected('google-chat', { webhookUrl: webhookUrl(), threadKey: '' }, '/threadKey');
  });
});
