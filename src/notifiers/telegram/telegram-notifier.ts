// Telegram Bot API sendMessage (https://core.telegram.org/bots/api#sendmessage) to a chat, group
// or channel, as HTML (parse_mode HTML: <b>, <a>, <code>, entities escaped). A message whose
// text would pass Telegram's 4096-character limit is sent as truncated plain text instead, since
// cutting HTML could break a tag.
import Type from 'typebox';
import { httpUrlField, joinUrl, secretField, templateField } from '../shared/config-fields.js';
import { sendHttp } from '../shared/http-request.js';
import { escapeHtml, truncate } from '../shared/text.js';
import { defineNotifier } from '../types.js';

export const telegramConfigSchema = Type.Object({
  botToken: Type.String({ pattern: '^[0-9]+:[A-Za-z0-9_-]+$', description: 'Token from @BotFather, 123456:ABC-DEF...' }),
  chatId: Type.Union([
    Type.Integer({ description: 'Numeric chat id (groups and channels are negative)' }),
    Type.String({ pattern: '^(-?[0-9]+|@[A-Za-z0-9_]{5,})$', description: 'Numeric id or @channelusername' }),
  ]),
  messageThreadId: Type.Optional(Type.Integer({ minimum: 1, description: 'Forum topic to post into' })),
  disableNotification: Type.Optional(Type.Boolean({ description: 'Deliver silently' })),
  baseUrl: Type.Optional(httpUrlField('Bot API server', 'https://api.telegram.org')),
  template: templateField,
}, { additionalProperties: false });

const maxLength = 4096;

export const telegramNotifier = defineNotifier({
  type: 'telegram',
  title: 'Telegram (bot)',
  configSchema: telegramConfigSchema,
  secretFields: ['botToken'],
  async send({ message, config }, ctx) {
    const html = `<b>${escapeHtml(message.title)}</b>\n${message.html}`;
    // Telegram counts the text after entity parsing; the HTML source is longer, so this is safe.
    const body = html.length <= maxLength
      ? { text: html, parse_mode: 'HTML' }
      : { text: truncate(`${message.title}\n${message.text}`, maxLength) };
    const payload = {
      chat_id: config.chatId,
      ...body,
      ...(config.messageThreadId !== undefined ? { message_thread_id: config.messageThreadId } : {}),
      ...(config.disableNotification ? { disable_notification: true } : {}),
      link_preview_options: { is_disabled: true },
    };
    const url = joinUrl(config.baseUrl ?? 'https://api.telegram.org', `bot${config.botToken}/sendMessage`);
    const answer = await sendHttp({ provider: 'Telegram', url, json: payload, ctx });
    const messageId = (answer.json as { result?: { message_id?: unknown } } | undefined)?.result?.message_id;
    return { status: answer.status, detail: 'sent', ...(messageId !== undefined ? { externalId: String(messageId) } : {}) };
  },
});
