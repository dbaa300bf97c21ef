// Mattermost incoming webhook (https://developers.mattermost.com/integrate/webhooks/incoming/):
// POST JSON with Markdown `text` (title as a heading), optionally another channel, user name and
// icon when the server allows overriding them. Mattermost answers "ok" or a JSON error.
import Type from 'typebox';
import { httpUrlField, templateField } from '../shared/config-fields.js';
import { mentionFor } from '../shared/event-kinds.js';
import { sendHttp } from '../shared/http-request.js';
import { truncate } from '../shared/text.js';
import { defineNotifier } from '../types.js';

export const mattermostConfigSchema = Type.Object({
  webhookUrl: httpUrlField('Incoming webhook URL, https://mattermost.example.com/hooks/xxx'),
  channel: Type.Optional(Type.String({ minLength: 1, description: 'Channel name (not display name), or @username for a DM' })),
  username: Type.Optional(Type.String({ minLength: 1 })),
  iconUrl: Type.Optional(httpUrlField('Profile picture for the post')),
  iconEmoji: Type.Optional(Type.String({ pattern: '^:?[a-z0-9_+-]+:?$' })),
  mention: Type.Optional(Type.String({ minLength: 1, description: 'Prepended to problem alerts, e.g. @channel' })),
  template: templateField,
}, { additionalProperties: false });

/** Mattermost's post size limit (16383 characters since 5.0). */
const maxText = 16383;

export const mattermostNotifier = defineNotifier({
  type: 'mattermost',
  title: 'Mattermost (incoming webhook)',
  configSchema: mattermostConfigSchema,
  secretFields: ['webhookUrl'],
  async send({ event, message, config }, ctx) {
    const payload = {
      text: truncate(`#### ${message.title}\n${mentionFor(event, config.mention)}${message.markdown}`, maxText),
      ...(config.channel ? { channel: config.channel } : {}),
      ...(config.username ? { username: config.username } : {}),
      ...(config.iconUrl ? { icon_url: config.iconUrl } : {}),
      ...(config.iconEmoji ? { icon_emoji: config.iconEmoji } : {}),
    };
    const answer = await sendHttp({ provider: 'Mattermost', url: config.webhookUrl, json: payload, ctx });
    return { status: answer.status, detail: answer.text.trim() || `HTTP ${answer.status}` };
  },
});
