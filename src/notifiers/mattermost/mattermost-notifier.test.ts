import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonBody, startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, sendWith, upEvent } from '../test-support/notifier-fixtures.js';
import { mattermostNotifier } from './mattermost-notifier.js';

const hookId = 'xuw3ghjakbyqfq3jfdqqqw7chw';

const mmError = (status: number, id: string, message: string): FakeReply => ({ status, body: { id, message, detailed_error: '', request_id: 'r8dk5kz7wpbk3b9t8xqzpj3bka', status_code: status } });

/** Answers like Mattermost's /hooks/{id} endpoint. */
function fakeMattermost(req: RecordedRequest): FakeReply {
  const match = /^\/hooks\/(\w+)$/.exec(req.path);
  if (!match || match[1] !== hookId) return mmError(400, 'web.incoming_webhook.invalid.app_error', 'Invalid webhook.');
  let body: any;
  try {
    body = JSON.parse(req.body);
  } catch {
    return mmError(400, 'web.incoming_webhook.parse.app_error', 'Unable to parse incoming data.');
  }
  if (!body.text && !body.attachments) return mmError(400, 'web.incoming_webhook.text.app_error', 'No text specified.');
  if (body.channel === 'locked') return mmError(403, 'web.incoming_webhook.channel_locked.app_error', 'This webhook is not permitted to post to the requested channel.');
  return { status: 200, body: 'ok' };
}

describe('mattermost notifier', () => {
  let api: FakeApi;
  const webhookUrl = () => `${api.url}/hooks/${hookId}`;
  before(async () => {
    api = await startFakeApi(fakeMattermost);
  });
  after(() => api.close());

  it('posts Markdown text with the title as heading, channel, user name, icon and mention', async () => {
    const config = { webhookUrl: webhookUrl(), channel: 'town-square', username: 'tocsin', iconUrl: 'https://tocsin.acme.test/icon.png', mention: '@channel' };
    const receipt = await sendWith(mattermostNotifier, config);
    assert.deepEqual(receipt, { status: 200, detail: 'ok' });
    const body = jsonBody(api.requests.at(-1)!);
    assert.deepEqual(Object.keys(body), ['text', 'channel', 'username', 'icon_url']);
    assert.match(body.text, /^#### \[DOWN\] acme\/website\/api is down\n@channel \*\*Public API\*\* \(acme\/website\/api\) is \*\*down\*\*/);
    assert.equal(body.channel, 'town-square');
    assert.equal(body.username, 'tocsin');
    assert.equal(body.icon_url, 'https://tocsin.acme.test/icon.png');
  });

  it('does not mention anyone on recovery', async () => {
    await sendWith(mattermostNotifier, { webhookUrl: webhookUrl(), mention: '@channel', iconEmoji: ':white_check_mark:' }, upEvent());
    const body = jsonBody(api.requests.at(-1)!);
    assert.doesNotMatch(body.text, /@channel/);
    assert.equal(body.icon_emoji, ':white_check_mark:');
  });

  it('an invalid hook or locked channel is permanent with Mattermost\'s message', async () => {
    await assertDeliveryError(sendWith(mattermostNotifier, { webhookUrl: `${api.url}/hooks/nope` }), { permanent: true, status: 400, includes: 'Invalid webhook.' });
    await assertDeliveryError(sendWith(mattermostNotifier, { webhookUrl: webhookUrl(), channel: 'locked' }), { permanent: true, status: 403, includes: 'not permitted' });
  });

  it('server errors are retryable', async () => {
    api.handle(() => ({ ...mmError(503, 'api.server.unavailable', 'Server unavailable'), headers: { 'retry-after': '3' } }));
    await assertDeliveryError(sendWith(mattermostNotifier, { webhookUrl: webhookUrl() }), { permanent: false, status: 503, retryAfterMs: 3000 });
    api.handle(fakeMattermost);
  });

  it('rejects bad configs', () => {
    assertConfigRejected('mattermost', { webhookUrl: webhookUrl(), iconEmoji: 'two words' }, '/iconEmoji');
    assertConfigRejected('mattermost', { webhookUrl: webhookUrl(), icon_url: 'https://x' }, '/icon_url');
  });
});
