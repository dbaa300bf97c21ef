import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonBody, startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, sendWith, upEvent } from '../test-support/notifier-fixtures.js';
import { teamsNotifier } from './teams-notifier.js';

const flowPath = '/workflows/5f2d1c/triggers/manual/paths/invoke';
const signature = 'Yq0yOmN0ZW5kZWQtc2lnbmF0dXJl';

const flowError = (status: number, code: string, message: string): FakeReply => ({ status, body: { error: { code, message } } });

/** Answers like a Power Automate "When a Teams webhook request is received" trigger. */
function fakeWorkflow(req: RecordedRequest): FakeReply {
  if (req.path !== flowPath) return flowError(404, 'WorkflowNotFound', "The workflow '5f2d1c' could not be found.");
  if (req.query.get('sig') !== signature) return flowError(401, 'DirectApiAuthorizationRequired', 'The request must be authenticated only by Shared Access scheme.');
  const body = JSON.parse(req.body);
  const attachment = body.attachments?.[0];
  const card = attachment?.content;
  const valid = body.type === 'message'
    && attachment?.contentType === 'application/vnd.microsoft.card.adaptive'
    && card?.type === 'AdaptiveCard'
    && typeof card.version === 'string'
    && Array.isArray(card.body) && card.body.every((element: any) => typeof element.type === 'string');
  if (!valid) return flowError(400, 'TriggerInputSchemaMismatch', "The input body for trigger 'manual' of type 'Request' did not match its schema definition.");
  return { status: 202 };
}

describe('teams notifier', () => {
  let api: FakeApi;
  const webhookUrl = () => `${api.url}${flowPath}?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${signature}`;
  before(async () => {
    api = await startFakeApi(fakeWorkflow);
  });
  after(() => api.close());

  it('posts a message with one Adaptive Card: coloured title, one block per line, a link button', async () => {
    const receipt = await sendWith(teamsNotifier, { webhookUrl: webhookUrl() });
    assert.deepEqual(receipt, { status: 202, detail: 'HTTP 202' });
    const body = jsonBody(api.requests.at(-1)!);
    assert.equal(body.type, 'message');
    assert.equal(body.attachments.length, 1);
    const { contentType, contentUrl, content } = body.attachments[0];
    assert.equal(contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(contentUrl, null);
    assert.equal(content.type, 'AdaptiveCard');
    assert.equal(content.$schema, 'http://adaptivecards.io/schemas/adaptive-card.json');
    assert.equal(content.version, '1.4');
    assert.deepEqual(content.body[0], { type: 'TextBlock', text: '[DOWN] acme/website/api is down', weight: 'Bolder', size: 'Medium', wrap: true, color: 'Attention' });
    assert.deepEqual(content.body.slice(1).map((b: any) => b.text), [
      '**Public API** (acme/website/api) is **down**: expected status 200-299, got 503',
      'Target: https://api.acme.test/health',
      'Since: 2024-05-01T12:00:00Z (5m ago)',
      'Previous state: up',
    ]);
    assert.deepEqual(content.actions, [{ type: 'Action.OpenUrl', title: 'Open in Tocsin', url: 'https://tocsin.acme.test/services/acme/website/api' }]);
  });

  it('colours recoveries green', async () => {
    await sendWith(teamsNotifier, { webhookUrl: webhookUrl() }, upEvent());
    assert.equal(jsonBody(api.requests.at(-1)!).attachments[0].content.body[0].color, 'Good');
  });

  it('a bad signature is permanent with the flow\'s error', async () => {
    await assertDeliveryError(sendWith(teamsNotifier, { webhookUrl: `${api.url}${flowPath}?sig=wrong` }), { permanent: true, status: 401, includes: 'DirectApiAuthorizationRequired: The request must be authenticated' });
  });

  it('throttling is retryable', async () => {
    api.handle(() => ({ ...flowError(429, 'WorkflowRequestsThrottled', 'Number of requests exceeded the limit.'), headers: { 'retry-after': '12' } }));
    await assertDeliveryError(sendWith(teamsNotifier, { webhookUrl: webhookUrl() }), { permanent: false, status: 429, retryAfterMs: 12_000, includes: 'exceeded the limit' });
    api.handle(fakeWorkflow);
  });

  it('rejects bad configs', () => {
    assertConfigRejected('teams', { webhookUrl: 'teams' }, '/webhookUrl');
    assertConfigRejected('teams', {}, '');
  });
});
