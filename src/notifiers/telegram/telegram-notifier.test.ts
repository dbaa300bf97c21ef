import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, downEvent, sendWith } from '../test-support/notifier-fixtures.js';
import { telegramNotifier } from './telegram-notifier.js';

const botToken = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const knownChats = new Set(['-1001234567890', '@tocsin_alerts']);
const allowedTags = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'tg-spoiler', 'blockquote', 'span']);

const fail = (code: number, description: string, extra: object = {}): FakeReply => ({ status: code, body: { ok: false, error_code: code, description, ...extra } });

/** Telegram's HTML rules: only its tags, balanced; < and & only as markup or entities. Returns the visible text. */
function parseTelegramHtml(text: string): string | { error: string } {
  const open: string[] = [];
  let visible = '';
  for (const token of text.match(/<\/?[^>]*>|&[#\w]+;|[^<&]+|[<&]/g) ?? []) {
    const tag = /^<(\/?)([a-z-]+)[^>]*>$/.exec(token);
    if (tag) {
      if (!allowedTags.has(tag[2])) return { error: `can't parse entities: Unsupported start tag "${tag[2]}"` };
      if (tag[1] === '') open.push(tag[2]);
      else if (open.pop() !== tag[2]) return { error: `can't parse entities: Unmatched end tag "${tag[2]}"` };
    } else if (token === '<' || token === '&' || token.startsWith('<')) {
      return { error: "can't parse entities: Unexpected \"<\" or \"&\"" };
    } else {
      visible += token.startsWith('&') ? '_' : token;
    }
  }
  return open.length > 0 ? { error: `can't parse entities: Can't find end tag corresponding to start tag "${open[0]}"` } : visible;
}

function fakeTelegram(req: RecordedRequest): FakeReply {
  const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.path);
  if (!match) return fail(404, 'Not Found');
  if (match[1] !== botToken) return fail(401, 'Unauthorized');
  if (match[2] !== 'sendMessage') return fail(404, 'Not Found');
  if (!String(req.headers['content-type']).startsWith('application/json')) return fail(400, 'Bad Request: message text is empty');
  const body = JSON.parse(req.body);
  if (body.chat_id === undefined) return fail(400, 'Bad Request: chat_id is empty');
  if (!knownChats.has(String(body.chat_id))) return fail(400, 'Bad Request: chat not found');
  if (!body.text) return fail(400, 'Bad Request: message text is empty');
  let visible = body.text;
  if (body.parse_mode === 'HTML') {
    const parsed = parseTelegramHtml(body.text);
    if (typeof parsed !== 'string') return fail(400, `Bad Request: ${parsed.error}`);
    visible = parsed;
  }
  if (Array.from(visible as string).length > 4096) return fail(400, 'Bad Request: message is too long');
  return { status: 200, body: { ok: true, result: { message_id: 4711, chat: { id: body.chat_id }, date: 1714565100, text: visible } } };
}

describe('telegram notifier', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi(fakeTelegram);
  });
  after(() => api.close());

  it('sends HTML with escaped values to the chat, topic and silently when asked', async () => {
    const config = { botToken, chatId: -1001234567890, messageThreadId: 7, disableNotification: true, baseUrl: api.url };
    const event = downEvent({ cause: 'got <html> & 503' });
    const receipt = await sendWith(telegramNotifier, config, event);
    assert.deepEqual(receipt, { status: 200, detail: 'sent', externalId: '4711' });
    const req = api.requests.at(-1)!;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, `/bot${botToken}/sendMessage`);
    const body = JSON.parse(req.body);
    assert.deepEqual(Object.keys(body).sort(), ['chat_id', 'disable_notification', 'link_preview_options', 'message_thread_id', 'parse_mode', 'text']);
    assert.equal(body.chat_id, -1001234567890);
    assert.equal(body.parse_mode, 'HTML');
    assert.equal(body.message_thread_id, 7);
    assert.equal(body.disable_notification, true);
    assert.deepEqual(body.link_preview_options, { is_disabled: true });
    assert.match(body.text, /^<b>\[DOWN\] acme\/website\/api is down<\/b>\n<b>Public API<\/b> \(acme\/website\/api\) is <b>down<\/b>: got &lt;html&gt; &amp; 503\n/);
    assert.match(body.text, /<a href="https:\/\/tocsin.acme.test\/services\/acme\/website\/api">Open in Tocsin<\/a>$/);
  });

  it('falls back to plain text when the HTML would be too long', async () => {
    await sendWith(telegramNotifier, { botToken, chatId: '@tocsin_alerts', baseUrl: api.url }, downEvent({ cause: '<'.repeat(5000) }));
    const body = JSON.parse(api.requests.at(-1)!.body);
    assert.equal(body.parse_mode, undefined);
    assert.equal(Array.from(body.text as string).length, 4096);
    assert.ok(body.text.startsWith('[DOWN] acme/website/api is down\nPublic API'));
  });

  it('an unknown chat is permanent and carries Telegram\'s description', async () => {
    await assertDeliveryError(sendWith(telegramNotifier, { botToken, chatId: '-100999', baseUrl: api.url }), { permanent: true, status: 400, includes: 'Bad Request: chat not found' });
    await assertDeliveryError(sendWith(telegramNotifier, { botToken: '1:wrong', chatId: '-100999', baseUrl: api.url }), { permanent: true, status: 401, includes: 'Unauthorized' });
  });

  it('flood control is retryable after parameters.retry_after', async () => {
    api.handle(() => fail(429, 'Too Many Requests: retry after 7', { parameters: { retry_after: 7 } }));
    await assertDeliveryError(sendWith(telegramNotifier, { botToken, chatId: '@tocsin_alerts', baseUrl: api.url }), { permanent: false, status: 429, retryAfterMs: 7000, includes: 'retry after 7' });
    api.handle(fakeTelegram);
  });

  it('rejects bad configs', () => {
    assertConfigRejected('telegram', { botToken: 'not-a-token', chatId: 1 }, '/botToken');
    assertConfigRejected('telegram', { botToken, chatId: 'ops room' }, '/chatId');
    assertConfigRejected('telegram', { botToken, chatId: 1, messageThreadId: 0 }, '/messageThreadId');
  });
});
