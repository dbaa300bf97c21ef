import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonBody, startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, downEvent, fixedNow, sendWith } from '../test-support/notifier-fixtures.js';
import { matrixNotifier } from './matrix-notifier.js';

const accessToken = 'syt_dG9jc2lu_abcdefghijklmnop_0AbCdE';
const roomId = '!ops:example.org';

const matrixError = (status: number, errcode: string, error: string, extra: object = {}): FakeReply => ({ status, body: { errcode, error, ...extra } });

/** Room timeline and transaction ids seen, as a homeserver keeps them per access token. */
const timeline: { txnId: string; content: any }[] = [];
const eventIdsByTxn = new Map<string, string>();

/** Answers like a homeserver's PUT /rooms/{roomId}/send/{eventType}/{txnId}. */
function fakeHomeserver(req: RecordedRequest): FakeReply {
  const match = /^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/([^/]+)\/([^/]+)$/.exec(req.path);
  if (!match) return matrixError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
  if (req.method !== 'PUT') return matrixError(405, 'M_UNRECOGNIZED', 'Unrecognized request');
  const auth = req.headers.authorization;
  if (auth === undefined) return matrixError(401, 'M_MISSING_TOKEN', 'Missing access token');
  if (auth !== `Bearer ${accessToken}`) return matrixError(401, 'M_UNKNOWN_TOKEN', 'Invalid access token passed.', { soft_logout: false });
  const room = decodeURIComponent(match[1]);
  if (room !== roomId) return matrixError(403, 'M_FORBIDDEN', `User @tocsin:example.org not in room ${room}`);
  if (match[2] !== 'm.room.message') return matrixError(400, 'M_UNKNOWN', 'unexpected event type');
  const content = JSON.parse(req.body);
  if (typeof content.body !== 'string' || typeof content.msgtype !== 'string') return matrixError(400, 'M_BAD_JSON', "'body' and 'msgtype' are required");
  const txnId = match[3];
  // Idempotency: the same transaction id answers the same event id without sending again.
  if (!eventIdsByTxn.has(txnId)) {
    eventIdsByTxn.set(txnId, `$event${eventIdsByTxn.size + 1}:example.org`);
    timeline.push({ txnId, content });
  }
  return { status: 200, body: { event_id: eventIdsByTxn.get(txnId) } };
}

describe('matrix notifier', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi(fakeHomeserver);
  });
  after(() => api.close());

  it('PUTs an m.room.message with plain and HTML bodies under a derived txnId', async () => {
    const receipt = await sendWith(matrixNotifier, { homeserverUrl: api.url, accessToken, roomId });
    assert.deepEqual(receipt, { status: 200, detail: 'sent', externalId: '$event1:example.org' });
    const req = api.requests.at(-1)!;
    assert.equal(req.method, 'PUT');
    assert.match(req.url, /^\/_matrix\/client\/v3\/rooms\/!ops%3Aexample\.org\/send\/m\.room\.message\/tocsin-[0-9a-f]{32}$/);
    const content = jsonBody(req);
    assert.deepEqual(Object.keys(content), ['msgtype', 'body', 'format', 'formatted_body']);
    assert.equal(content.msgtype, 'm.text');
    assert.equal(content.format, 'org.matrix.custom.html');
    assert.match(content.body, /^\[DOWN\] acme\/website\/api is down\nPublic API \(acme\/website\/api\) is down: expected status/);
    assert.match(content.formatted_body, /^<b>\[DOWN\] acme\/website\/api is down<\/b><br>\n<b>Public API<\/b> \(acme\/website\/api\) is <b>down<\/b>: expected status 200-299, got 503<br>\n/);
  });

  it('a retried delivery reuses the txnId, so the room gets the message once', async () => {
    timeline.length = 0;
    eventIdsByTxn.clear();
    const config = { homeserverUrl: api.url, accessToken, roomId, msgtype: 'm.notice' };
    const first = await sendWith(matrixNotifier, config);
    const retry = await sendWith(matrixNotifier, config);
    const next = await sendWith(matrixNotifier, config, downEvent({ kind: 'reminder', at: fixedNow + 3_600_000 }));
    assert.equal(first.externalId, retry.externalId);
    assert.notEqual(first.externalId, next.externalId);
    assert.equal(timeline.length, 2);
    assert.equal(timeline[0].content.msgtype, 'm.notice');
  });

  it('not being in the room, or a bad token, is permanent with the errcode', async () => {
    await assertDeliveryError(sendWith(matrixNotifier, { homeserverUrl: api.url, accessToken, roomId: '!other:example.org' }), { permanent: true, status: 403, includes: 'not in room !other:example.org (M_FORBIDDEN)' });
    await assertDeliveryError(sendWith(matrixNotifier, { homeserverUrl: api.url, accessToken: 'syt_wrong', roomId }), { permanent: true, status: 401, includes: 'M_UNKNOWN_TOKEN' });
  });

  it('rate limiting is retryable after retry_after_ms', async () => {
    api.handle(() => matrixError(429, 'M_LIMIT_EXCEEDED', 'Too Many Requests', { retry_after_ms: 2500 }));
    await assertDeliveryError(sendWith(matrixNotifier, { homeserverUrl: api.url, accessToken, roomId }), { permanent: false, status: 429, retryAfterMs: 2500, includes: 'M_LIMIT_EXCEEDED' });
    api.handle(fakeHomeserver);
  });

  it('rejects bad configs', () => {
    assertConfigRejected('matrix', { accessToken, roomId: '#ops:example.org' }, '/roomId');
    assertConfigRejected('matrix', { accessToken, roomId, msgtype: 'm.emote' }, '/msgtype');
    assertConfigRejected('matrix', { roomId }, '');
  });
});
