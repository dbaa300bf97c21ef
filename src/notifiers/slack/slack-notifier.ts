// Slack incoming webhook (https://api.slack.com/messaging/webhooks): POST JSON with `text` (the
// notification fallback) and Block Kit `blocks` (header + mrkdwn section). Slack answers "ok" or
// a plain-text error code (invalid_token, no_service, channel_is_archived...).
import Type from 'typebox';
import { httpUrlField, templateField } from '../shared/config-fields.js';
import { mentionFor } from '../shared/event-kinds.js';
import { sendHttp } from '../shared/http-request.js';
import { truncate } from '../shared/text.js';
import { defineNotifier } from '../types.js';

export const slackConfigSchema = Type.Object({
  webhookUrl: httpUrlField('Incoming webhook URL, https://hooks.slack.com/services/...'),
  mention: Type.Optional(Type.String({ minLength: 1, description: 'Prepended to problem alerts, e.g. <!here> or <@U024BE7LH>' })),
  template: templateField,
}, { additionalProperties: false });

/** Block Kit limits: header text 150 characters, section text 3000. */
const headerMax = 150;
const sectionMax = 3000;

export const slackNotifier = defineNotifier({
  type: 'slack',
  title: 'Slack (incoming webhook)',
  configSchema: slackConfigSchema,
  secretFields: ['webhookUrl'],
  async send({ event, message, config }, ctx) {
    const mention = mentionFor(event, config.mention);
    const payload = {
      text: `${mention}${message.title}`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: truncate(message.title, headerMax), emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: truncate(`${mention}${message.mrkdwn}`, sectionMax) } },
      ],
    };
    const answer = await sendHttp({ provider: 'Slack', url: config.webhookUrl, json: payload, ctx });
    return { status: answer.status, detail: answer.text.trim() || `HTTP ${answer.status}` };
  },
});
