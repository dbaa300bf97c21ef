// ntfy (https://docs.ntfy.sh/publish/#publish-as-json): JSON POST to the server root naming the
// topic, with title, message, priority (problems high), tags (emoji) and the dashboard link as
// click action. Protected topics take an access token (Bearer) or a user and password (Basic).
import Type from 'typebox';
import { httpUrlField, secretField, templateField } from '../shared/config-fields.js';
import { isRecovery } from '../shared/event-kinds.js';
import { sendHttp } from '../shared/http-request.js';
import { priorityFor } from '../shared/priority.js';
import { defineNotifier, type AlertEvent, type ConfigError } from '../types.js';

export const ntfyConfigSchema = Type.Object({
  topic: Type.String({ pattern: '^[-_A-Za-z0-9]{1,64}$', description: 'Topic name' }),
  baseUrl: Type.Optional(httpUrlField('ntfy server', 'https://ntfy.sh')),
  token: Type.Optional(secretField('Access token, tk_...')),
  username: Type.Optional(Type.String({ minLength: 1 })),
  password: Type.Optional(secretField('Password for username')),
  priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: 'Priority of problem alerts (default 4)' })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Extra tags / emoji short codes' })),
  markdown: Type.Optional(Type.Boolean({ description: 'Send the Markdown body (rendered by the web app)' })),
  template: templateField,
}, { additionalProperties: false });

function tagFor(event: AlertEvent): string {
  if (event.kind === 'test') return 'test_tube';
  if (isRecovery(event)) return 'white_check_mark';
  if (event.kind === 'flapping') return 'warning';
  if (event.kind === 'reminder') return 'hourglass';
  return event.kind === 'settled' ? 'information_source' : 'rotating_light';
}

export const ntfyNotifier = defineNotifier({
  type: 'ntfy',
  title: 'ntfy',
  configSchema: ntfyConfigSchema,
  secretFields: ['token', 'password'],
  checkConfig(config) {
    const errors: ConfigError[] = [];
    if (config.token && config.username) errors.push({ path: '/token', message: 'use either token or username/password' });
    if ((config.username === undefined) !== (config.password === undefined)) errors.push({ path: '/password', message: 'username and password go together' });
    return errors;
  },
  async send({ event, message, config }, ctx) {
    const headers: Record<string, string> = {};
    if (config.token) headers.authorization = `Bearer ${config.token}`;
    else if (config.username) headers.authorization = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;
    const payload = {
      topic: config.topic,
      title: message.title,
      message: config.markdown ? message.markdown : message.text,
      priority: priorityFor(event, { problem: 4, normal: 3 }, config.priority),
      tags: [tagFor(event), ...(config.tags ?? [])],
      ...(event.link ? { click: event.link } : {}),
      ...(config.markdown ? { markdown: true } : {}),
    };
    const answer = await sendHttp({ provider: 'ntfy', url: config.baseUrl ?? 'https://ntfy.sh', headers, json: payload, ctx });
    const id = (answer.json as { id?: unknown } | undefined)?.id;
    return { status: answer.status, detail: 'published', ...(typeof id === 'string' ? { externalId: id } : {}) };
  },
});
