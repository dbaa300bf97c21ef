// Google Chat incoming webhook (https://developers.google.com/workspace/chat/quickstart/webhooks):
// POST JSON to the space's webhook URL (it carries key and token). A text message in Chat's
// format (*bold*, <url|label>; Chat documents no entity escaping, so the mrkdwn flavour's
// &amp; &lt; &gt; are turned back into characters), or with `cards: true` a cardsV2 card whose
// paragraph takes Chat's HTML subset. With a thread key (fixed,
// or one per service) alerts reply in that thread: the key goes in the body and the URL asks
// for REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD.
import Type from 'typebox';
import { httpUrlField, templateField } from '../shared/config-fields.js';
import { sendHttp } from '../shared/http-request.js';
import { newlinesToBreaks, truncate } from '../shared/text.js';
import { defineNotifier, type AlertEvent, type ConfigError, type RenderedMessage } from '../types.js';

export const googleChatConfigSchema = Type.Object({
  webhookUrl: httpUrlField('Webhook URL, https://chat.googleapis.com/v1/spaces/.../messages?key=...&token=...'),
  threadKey: Type.Optional(Type.String({ minLength: 1, maxLength: 4000, description: 'Post every alert into this thread' })),
  threadPerService: Type.Optional(Type.Boolean({ description: 'One thread per service (its alerts reply there)' })),
  cards: Type.Optional(Type.Boolean({ description: 'Send a card instead of a text message' })),
  template: templateField,
}, { additionalProperties: false });

const maxText = 4096;

function chatText(mrkdwn: string): string {
  return mrkdwn.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function card(event: AlertEvent, message: RenderedMessage) {
  const widgets: object[] = [{ textParagraph: { text: newlinesToBreaks(message.html) } }];
  if (event.link) widgets.push({ buttonList: { buttons: [{ text: 'Open in Tocsin', onClick: { openLink: { url: event.link } } }] } });
  return {
    fallbackText: message.title,
    cardsV2: [{
      cardId: 'tocsin-alert',
      card: { header: { title: message.title, subtitle: event.service.name }, sections: [{ widgets }] },
    }],
  };
}

export const googleChatNotifier = defineNotifier({
  type: 'google-chat',
  title: 'Google Chat (webhook)',
  configSchema: googleChatConfigSchema,
  secretFields: ['webhookUrl'],
  checkConfig(config) {
    const errors: ConfigError[] = [];
    if (config.threadKey && config.threadPerService) errors.push({ path: '/threadPerService', message: 'use either threadKey or threadPerService' });
    return errors;
  },
  async send({ event, message, config }, ctx) {
    const threadKey = config.threadKey ?? (config.threadPerService ? `tocsin-${event.service.id}` : undefined);
    const url = new URL(config.webhookUrl);
    if (threadKey) url.searchParams.set('messageReplyOption', 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD');
    const content = config.cards ? card(event, message) : { text: truncate(`*${message.title}*\n${chatText(message.mrkdwn)}`, maxText) };
    const payload = { ...content, ...(threadKey ? { thread: { threadKey } } : {}) };
    const answer = await sendHttp({ provider: 'Google Chat', url, json: payload, ctx });
    const name = (answer.json as { name?: unknown } | undefined)?.name;
    return { status: answer.status, detail: 'posted', ...(typeof name === 'string' ? { externalId: name } : {}) };
  },
});
