// Discord webhook (https://discord.com/developers/docs/resources/webhook#execute-webhook): POST
// JSON with one embed coloured by state; `content` only carries the optional mention. With
// `wait: true` Discord answers the created message (its id becomes the receipt's externalId)
// instead of 204.
import Type from 'typebox';
import { httpUrlField, templateField } from '../shared/config-fields.js';
import { mentionFor } from '../shared/event-kinds.js';
import { sendHttp } from '../shared/http-request.js';
import { truncate } from '../shared/text.js';
import { defineNotifier, type AlertEvent } from '../types.js';

export const discordConfigSchema = Type.Object({
  webhookUrl: httpUrlField('Webhook URL, https://discord.com/api/webhooks/{id}/{token}'),
  username: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'Overrides the webhook name' })),
  avatarUrl: Type.Optional(httpUrlField('Overrides the webhook avatar')),
  mention: Type.Optional(Type.String({ minLength: 1, description: 'Sent with problem alerts, e.g. <@&role id> or @here' })),
  threadId: Type.Optional(Type.String({ pattern: '^[0-9]+$', description: 'Post into this thread of the channel' })),
  wait: Type.Optional(Type.Boolean({ description: 'Ask Discord to confirm with the created message' })),
  template: templateField,
}, { additionalProperties: false });

const colors = { red: 0xe74c3c, green: 0x2ecc71, orange: 0xe67e22, blue: 0x3498db, grey: 0x95a5a6 };

export function embedColor(event: AlertEvent): number {
  if (event.kind === 'flapping') return colors.orange;
  if (event.kind === 'test') return colors.blue;
  if (event.state === 'up') return colors.green;
  if (event.state === 'down') return colors.red;
  if (event.state === 'late' || event.state === 'pending') return colors.orange;
  return colors.grey;
}

export const discordNotifier = defineNotifier({
  type: 'discord',
  title: 'Discord (webhook)',
  configSchema: discordConfigSchema,
  secretFields: ['webhookUrl'],
  async send({ event, message, config }, ctx) {
    const mention = mentionFor(event, config.mention).trim();
    const url = new URL(config.webhookUrl);
    if (config.wait) url.searchParams.set('wait', 'true');
    if (config.threadId) url.searchParams.set('thread_id', config.threadId);
    const payload = {
      ...(mention ? { content: mention } : {}),
      ...(config.username ? { username: config.username } : {}),
      ...(config.avatarUrl ? { avatar_url: config.avatarUrl } : {}),
      embeds: [{
        title: truncate(message.title, 256),
        description: truncate(message.markdown, 4096),
        ...(event.link ? { url: event.link } : {}),
        color: embedColor(event),
        timestamp: new Date(event.at).toISOString(),
        footer: { text: 'Tocsin' },
      }],
      // Only our own mention may ping; a service called "@everyone" must not.
      allowed_mentions: mention ? { parse: ['users', 'roles', 'everyone'] } : { parse: [] },
    };
    const answer = await sendHttp({ provider: 'Discord', url, json: payload, ctx });
    const id = (answer.json as { id?: unknown } | undefined)?.id;
    return { status: answer.status, detail: `HTTP ${answer.status}`, ...(typeof id === 'string' ? { externalId: id } : {}) };
  },
});
