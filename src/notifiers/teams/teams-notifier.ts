// Microsoft Teams through a Workflows (Power Automate) webhook, the successor of the retired
// Office 365 connectors: POST a message whose one attachment is an Adaptive Card
// (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-reference#adaptive-card).
// The title is coloured by state; each body line is its own TextBlock because TextBlock
// Markdown does not reliably turn single newlines into line breaks.
import Type from 'typebox';
import { httpUrlField, templateField } from '../shared/config-fields.js';
import { isRecovery } from '../shared/event-kinds.js';
import { sendHttp } from '../shared/http-request.js';
import { defineNotifier, type AlertEvent } from '../types.js';

export const teamsConfigSchema = Type.Object({
  webhookUrl: httpUrlField('Workflows webhook URL ("When a Teams webhook request is received")'),
  template: templateField,
}, { additionalProperties: false });

function titleColor(event: AlertEvent): string {
  if (event.kind === 'test') return 'Accent';
  if (isRecovery(event)) return 'Good';
  return event.kind === 'flapping' || event.state === 'late' ? 'Warning' : 'Attention';
}

function textBlocks(markdown: string) {
  const blocks: object[] = [];
  let gap = false;
  for (const line of markdown.split('\n')) {
    if (line.trim() === '') {
      gap = true;
      continue;
    }
    blocks.push({ type: 'TextBlock', text: line, wrap: true, spacing: gap ? 'Medium' : 'None' });
    gap = false;
  }
  return blocks;
}

export function adaptiveCardMessage(event: AlertEvent, title: string, markdown: string) {
  return {
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        msteams: { width: 'Full' },
        body: [
          { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true, color: titleColor(event) },
          ...textBlocks(markdown),
        ],
        ...(event.link ? { actions: [{ type: 'Action.OpenUrl', title: 'Open in Tocsin', url: event.link }] } : {}),
      },
    }],
  };
}

export const teamsNotifier = defineNotifier({
  type: 'teams',
  title: 'Microsoft Teams (Workflows webhook)',
  configSchema: teamsConfigSchema,
  secretFields: ['webhookUrl'],
  async send({ event, message, config }, ctx) {
    // The card's button replaces the default template's link line (a custom template keeps its own).
    const footer = `[Open in Tocsin](${event.link})`;
    const markdown = message.markdown.split('\n').filter((line) => line !== footer).join('\n');
    const answer = await sendHttp({ provider: 'Teams', url: config.webhookUrl, json: adaptiveCardMessage(event, message.title, markdown), ctx });
    return { status: answer.status, detail: `HTTP ${answer.status}` };
  },
});
