// Gotify (https://gotify.net/api-docs#/message/createMessage): POST /message with the
// application token in X-Gotify-Key; title, message, priority (problems high) and extras that
// make clients render Markdown and open the dashboard link on click. Gotify is self-hosted, so
// the server URL is required.
import Type from 'typebox';
import { httpUrlField, joinUrl, secretField, templateField } from '../shared/config-fields.js';
import { sendHttp } from '../shared/http-request.js';
import { priorityFor } from '../shared/priority.js';
import { defineNotifier } from '../types.js';

export const gotifyConfigSchema = Type.Object({
  serverUrl: httpUrlField('Gotify server, https://gotify.example.com'),
  appToken: secretField('Application token'),
  priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 10, description: 'Priority of problem alerts (default 8)' })),
  markdown: Type.Optional(Type.Boolean({ description: 'Send Markdown (default true)' })),
  template: templateField,
}, { additionalProperties: false });

export const gotifyNotifier = defineNotifier({
  type: 'gotify',
  title: 'Gotify',
  configSchema: gotifyConfigSchema,
  secretFields: ['appToken'],
  async send({ event, message, config }, ctx) {
    const markdown = config.markdown ?? true;
    const payload = {
      title: message.title,
      message: markdown ? message.markdown : message.text,
      priority: priorityFor(event, { problem: 8, normal: 5 }, config.priority),
      extras: {
        'client::display': { contentType: markdown ? 'text/markdown' : 'text/plain' },
        ...(event.link ? { 'client::notification': { click: { url: event.link } } } : {}),
      },
    };
    const answer = await sendHttp({
      provider: 'Gotify',
      url: joinUrl(config.serverUrl, 'message'),
      headers: { 'x-gotify-key': config.appToken },
      json: payload,
      ctx,
    });
    const id = (answer.json as { id?: unknown } | undefined)?.id;
    return { status: answer.status, detail: 'sent', ...(id !== undefined ? { externalId: String(id) } : {}) };
  },
});
