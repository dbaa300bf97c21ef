// Renders an alert event into the message every provider sends: default templates per kind, or
// the channel's own `template: { title?, body? }`. The title is always plain text; the body comes
// in every flavour of RenderedMessage.
import type { AlertEvent, RenderedMessage } from '../types.js';
import { defaultTemplates } from './default-templates.js';
import { compileFor, escapeMrkdwn, type MessageFormat } from './formats.js';
import type { TemplateOverrides } from './template-overrides.js';
import { buildView, mapStrings, type MessageView } from './view-model.js';

function renderBody(format: MessageFormat, source: string, view: MessageView, dropEmptyLines: boolean): string {
  const data = format === 'mrkdwn' ? mapStrings(view, escapeMrkdwn) : view;
  const out = compileFor(format, source)(data);
  const kept = dropEmptyLines ? out.split('\n').filter((line) => line.trim() !== '').join('\n') : out;
  return kept.trim();
}

/**
 * `now` is the moment the message speaks from ("5m ago" is measured to it); it defaults to the
 * event's own time so that a retried delivery renders the same message.
 */
export function renderMessage(event: AlertEvent, overrides?: TemplateOverrides, now: number = event.at): RenderedMessage {
  const view = buildView(event, now);
  const defaults = defaultTemplates[event.kind];
  const bodySource = overrides?.body ?? defaults.body;
  const custom = overrides?.body !== undefined;
  const title = renderBody('text', overrides?.title ?? defaults.title, view, false).replace(/\s*\n\s*/g, ' ');
  return {
    title,
    text: renderBody('text', bodySource, view, !custom),
    markdown: renderBody('markdown', bodySource, view, !custom),
    html: renderBody('html', bodySource, view, !custom),
    mrkdwn: renderBody('mrkdwn', bodySource, view, !custom),
  };
}
