// Pushover (https://pushover.net/api): form POST to /1/messages.json with the application token
// and user/group key; HTML body (html=1), the dashboard link as supplementary URL, priority
// (problems 1 = high by default; 2 = emergency, repeated until acknowledged, needs retry/expire).
import Type from 'typebox';
import { httpUrlField, joinUrl, templateField } from '../shared/config-fields.js';
import { sendHttp } from '../shared/http-request.js';
import { priorityFor } from '../shared/priority.js';
import { truncate } from '../shared/text.js';
import { defineNotifier } from '../types.js';

const key = (description: string) => Type.String({ pattern: '^[A-Za-z0-9]{30}$', description });

export const pushoverConfigSchema = Type.Object({
  appToken: key('Application API token'),
  userKey: key('User or group key'),
  device: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,25}(,[A-Za-z0-9_-]{1,25})*$', description: 'Only these devices (comma-separated)' })),
  sound: Type.Optional(Type.String({ pattern: '^[a-z0-9_-]{1,32}$', description: 'Sound name' })),
  priority: Type.Optional(Type.Integer({ minimum: -2, maximum: 2, description: 'Priority of problem alerts (default 1)' })),
  emergencyRetrySeconds: Type.Optional(Type.Integer({ minimum: 30, maximum: 10800, description: 'Priority 2: repeat every (default 60)' })),
  emergencyExpireSeconds: Type.Optional(Type.Integer({ minimum: 30, maximum: 10800, description: 'Priority 2: stop after (default 3600)' })),
  baseUrl: Type.Optional(httpUrlField('API base URL', 'https://api.pushover.net')),
  template: templateField,
}, { additionalProperties: false });

const limits = { title: 250, message: 1024, url: 512 };

export const pushoverNotifier = defineNotifier({
  type: 'pushover',
  title: 'Pushover',
  configSchema: pushoverConfigSchema,
  secretFields: ['appToken', 'userKey'],
  async send({ event, message, config }, ctx) {
    const priority = priorityFor(event, { problem: 1, normal: 0 }, config.priority);
    // Cutting HTML could break a tag: a body over the limit goes as plain text.
    const html = message.html.length <= limits.message;
    const link = event.link && event.link.length <= limits.url ? event.link : undefined;
    const answer = await sendHttp({
      provider: 'Pushover',
      url: joinUrl(config.baseUrl ?? 'https://api.pushover.net', '1/messages.json'),
      form: {
        token: config.appToken,
        user: config.userKey,
        title: truncate(message.title, limits.title),
        message: html ? message.html : truncate(message.text, limits.message),
        html: html ? '1' : undefined,
        priority: String(priority),
        timestamp: String(Math.floor(event.at / 1000)),
        url: link,
        url_title: link ? 'Open in Tocsin' : undefined,
        device: config.device,
        sound: config.sound,
        retry: priority === 2 ? String(config.emergencyRetrySeconds ?? 60) : undefined,
        expire: priority === 2 ? String(config.emergencyExpireSeconds ?? 3600) : undefined,
      },
      ctx,
    });
    const body = (answer.json ?? {}) as { request?: string; receipt?: string };
    const externalId = body.receipt ?? body.request;
    return { status: answer.status, detail: 'sent', ...(externalId ? { externalId } : {}) };
  },
});
