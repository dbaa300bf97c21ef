import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, downEvent, sendWith, upEvent } from '../test-support/notifier-fixtures.js';
import { slackNotifier } from './slack-notifier.js';

const hookPath = '/services/T000/B000/XXXXXXXXXXXXXXXX';

/** Answers like hooks.slack.com: plain-text "ok" or an error code. */
function fakeSlack(req: RecordedRequest): FakeReply {
  const error = (status: number, code: string): FakeReply => ({ status, body: code });
  if (req.method !== 'POST') return error(405, 'invalid_method');
  const match = /^\/services\/(T\w+)\/(B\w+)\/(\w+)$/.exec(req.path);
  if (!match) return error(404, 'no_service');
  if (match[3] !== 'XXXXXXXXXXXXXXXX') return error(403, 'invalid_token');
  if (!String(req.headers['content-type']).startsWith('application/json')) return error(400, 'invalid_payload');
  let body: any;
  try {
    body = JSON.parse(req.body);
  } catch {
    return error(400, 'invalid_payload');
  }
  if (!body.text && !body.blocks) return error(400, 'no_text');
  for (const block of body.blocks ?? []) {
    if (block.type === 'header' && (block.text?.type !== 'plain_text' || block.text.text.length > 150)) return error(400, 'invalid_blocks');
    if (block.type === 'section' && (!['mrkdwn', 'plain_text'].includes(block.text?.type) || block.text.text.length > 3000)) return error(400, 'invalid_blocks');
    if (!['header', 'section', 'context', 'actions', 'divider'].includes(block.type)) return error(400, 'invalid_blocks');
  }
  return { status: 200, body: 'ok' };
}

describe('slack notifier', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi(fakeSlack);
  });
  after(() => api.close());

  it('posts text plus header and mrkdwn section blocks, mentioning on problems only', async () => {
    const config = { webhookUrl: `${api.url}${hookPath}`, mention: '<!here>' };
    const receipt = await sendWith(slackNotifier, config);
    assert.deepEqual(receipt, { status: 200, detail: 'ok' });
    const body = JSON.parse(api.requests.at(-1)!.body);
    assert.deepEqual(body, {
      text: '<!here> [DOWN] acme/website/api is down',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '[DOWN] acme/website/api is down', emoji: true } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: [
              '<!here> *Public API* (acme/website/api) is *down*: expected status 200-299, got 503',
              'Target: https://api.acme.test/health',
              'Since: 2024-05-01T12:00:00Z (5m ago)',
              'Previous state: up',
              '<https://tocsin.acme.test/services/acme/website/api|Open in Tocsin>',
            ].join('\n'),
          },
        },
      ],
    });
    await sendWith(slackNotifier, config, upEvent());
    assert.equal(JSON.parse(api.requests.at(-1)!.body).text, '[UP] acme/website/api is back up');
  });

  it('keeps within the Block Kit limits', async () => {
    const long = 'x'.repeat(5000);
    await sendWith(slackNotifier, { webhookUrl: `${api.url}${hookPath}` }, downEvent({ cause: long, service: { ...downEvent().service, path: long } }));
    const [header, section] = JSON.parse(api.requests.at(-1)!.body).blocks;
    assert.equal(header.text.text.length, 150);
    assert.equal(section.text.text.length, 3000);
  });

  it('a revoked webhook is a permanent error naming Slack\'s code', async () => {
    await assertDeliveryError(sendWith(slackNotifier, { webhookUrl: `${api.url}/services/T000/B000/revoked` }), { permanent: true, status: 403, includes: 'invalid_token' });
    await assertDeliveryError(sendWith(slackNotifier, { webhookUrl: `${api.url}/services/nothing` }), { permanent: true, status: 404, includes: 'no_service' });
  });

  it('rate limiting is retryable after Slack\'s Retry-After', async () => {
    api.handle(() => ({ status: 429, headers: { 'retry-after': '30' }, body: 'rate_limited' }));
    await assertDeliveryError(sendWith(slackNotifier, { webhookUrl: `${api.url}${hookPath}` }), { permanent: false, status: 429, retryAfterMs: 30_000, includes: 'rate_limited' });
    api.handle(fakeSlack);
  });

  it('rejects bad configs', () => {
    assertConfigRejected('slack', {}, '');
    assertConfigRejected('slack', { webhookUrl: 'hooks.slack.com/services/x' }, '/webhookUrl');
    assertConfigRejected('slack', { webhookUrl: 'https://hooks.slack.com/services/x', channel: '#ops' }, '/channel');
  });
});
