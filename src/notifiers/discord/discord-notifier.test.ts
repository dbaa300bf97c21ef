import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, downEvent, fixedNow, sendWith, upEvent } from '../test-support/notifier-fixtures.js';
import { discordNotifier } from './discord-notifier.js';

const webhookId = '112233445566778899';
const token = 'tok-en_abc';

/** Answers like discord.com/api/webhooks: 204 (or the message with ?wait=true), JSON errors. */
function fakeDiscord(req: RecordedRequest): FakeReply {
  const match = /^\/api\/webhooks\/(\d+)\/([\w-]+)$/.exec(req.path);
  if (req.method !== 'POST') return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
  if (!match || match[1] !== webhookId) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
  if (match[2] !== token) return { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } };
  if (!String(req.headers['content-type']).startsWith('application/json')) return { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } };
  const body = JSON.parse(req.body);
  if (!body.content && !(body.embeds?.length > 0)) return { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } };
  const invalid = (body.embeds ?? []).some((e: any) => e.title?.length > 256 || e.description?.length > 4096 || !Number.isInteger(e.color));
  if (invalid) return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: { embeds: { 0: { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 4096 or fewer in length.' }] } } } } } };
  if (req.query.get('wait') === 'true') return { status: 200, body: { id: '998877665544332211', channel_id: '1', content: body.content ?? '', embeds: body.embeds } };
  return { status: 204 };
}

describe('discord notifier', () => {
  let api: FakeApi;
  const webhookUrl = () => `${api.url}/api/webhooks/${webhookId}/${token}`;
  before(async () => {
    api = await startFakeApi(fakeDiscord);
  });
  after(() => api.close());

  it('posts one embed coloured by state, with the mention as content on problems', async () => {
    const receipt = await sendWith(discordNotifier, { webhookUrl: webhookUrl(), mention: '<@&123>', username: 'Tocsin', avatarUrl: 'https://tocsin.acme.test/logo.png' });
    assert.deepEqual(receipt, { status: 204, detail: 'HTTP 204' });
    const req = api.requests.at(-1)!;
    assert.equal(req.url, `/api/webhooks/${webhookId}/${token}`);
    const body = JSON.parse(req.body);
    assert.deepEqual(body, {
      content: '<@&123>',
      username: 'Tocsin',
      avatar_url: 'https://tocsin.acme.test/logo.png',
      embeds: [{
        title: '[DOWN] acme/website/api is down',
        description: body.embeds[0].description,
        url: 'https://tocsin.acme.test/services/acme/website/api',
        color: 0xe74c3c,
        timestamp: new Date(fixedNow).toISOString(),
        footer: { text: 'Tocsin' },
      }],
      allowed_mentions: { parse: ['users', 'roles', 'everyone'] },
    });
    assert.match(body.embeds[0].description, /^\*\*Public API\*\* \(acme\/website\/api\) is \*\*down\*\*/);
  });

  it('waits for the message id when asked, posts into a thread, and never pings without a mention', async () => {
    const receipt = await sendWith(discordNotifier, { webhookUrl: webhookUrl(), wait: true, threadId: '42' }, upEvent());
    assert.equal(receipt.externalId, '998877665544332211');
    const req = api.requests.at(-1)!;
    assert.equal(req.query.get('wait'), 'true');
    assert.equal(req.query.get('thread_id'), '42');
    const body = JSON.parse(req.body);
    assert.equal(body.content, undefined);
    assert.equal(body.embeds[0].color, 0x2ecc71);
    assert.deepEqual(body.allowed_mentions, { parse: [] });
  });

  it('keeps embeds within Discord limits', async () => {
    await sendWith(discordNotifier, { webhookUrl: webhookUrl() }, downEvent({ cause: 'y'.repeat(5000) }));
    assert.equal(JSON.parse(api.requests.at(-1)!.body).embeds[0].description.length, 4096);
  });

  it('an unknown webhook is permanent and carries Discord\'s message', async () => {
    await assertDeliveryError(sendWith(discordNotifier, { webhookUrl: `${api.url}/api/webhooks/1/${token}` }), { permanent: true, status: 404, includes: 'Unknown Webhook (10015)' });
    await assertDeliveryError(sendWith(discordNotifier, { webhookUrl: `${api.url}/api/webhooks/${webhookId}/wrong` }), { permanent: true, status: 401, includes: 'Invalid Webhook Token' });
  });

  it('rate limiting is retryable after Discord\'s retry_after', async () => {
    api.handle(() => ({ status: 429, body: { message: 'You are being rate limited.', retry_after: 1.25, global: false } }));
    await assertDeliveryError(sendWith(discordNotifier, { webhookUrl: webhookUrl() }), { permanent: false, status: 429, retryAfterMs: 1250, includes: 'rate limited' });
    api.handle(fakeDiscord);
  });

  it('rejects bad configs', () => {
    assertConfigRejected('discord', { webhookUrl: webhookUrl(), threadId: 'abc' }, '/threadId');
    assertConfigRejected('discord', { webhookUrl: webhookUrl(), wait: 'yes' }, '/wait');
    assertConfigRejected('discord', { url: webhookUrl() });
  });
});
