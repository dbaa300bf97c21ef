// The messages Tocsin sends unless a channel brings its own. One line per fact; lines that come
// out empty (no cause, no link...) are dropped after rendering, so each line is one optional fact.
import type { AlertKind } from '../types.js';

export interface MessageTemplates {
  title: string;
  body: string;
}

const who = '{{bold service.name}} ({{service.path}})';
const facts = [
  '{{#if service.target}}Target: {{service.target}}{{/if}}',
  '{{#if since}}Since: {{since}} ({{sinceAgo}}){{/if}}',
];
const footer = '{{#if link}}{{linkTo link "Open in Tocsin"}}{{/if}}';

const lines = (...parts: string[]) => parts.join('\n');

export const defaultTemplates: Record<AlertKind, MessageTemplates> = {
  down: {
    title: '[{{stateUpper}}] {{service.path}} is {{state}}',
    body: lines(`${who} is {{bold state}}{{#if cause}}: {{cause}}{{/if}}`, ...facts, 'Previous state: {{previousState}}', footer),
  },
  up: {
    title: '[{{stateUpper}}] {{service.path}} is back {{state}}',
    body: lines(
      `${who} is back {{bold state}}{{#if incident.duration}} after being {{previousState}} for {{incident.duration}}{{/if}}`,
      '{{#if service.target}}Target: {{service.target}}{{/if}}',
      '{{#if incident}}Incident opened {{incident.openedAt}}{{#if incident.resolvedAt}}, resolved {{incident.resolvedAt}}{{/if}}{{/if}}',
      footer,
    ),
  },
  reminder: {
    title: '[STILL {{stateUpper}}] {{service.path}} is still {{state}}',
    body: lines(`${who} is still {{bold state}}{{#if stateDuration}} after {{stateDuration}}{{/if}}{{#if cause}}: {{cause}}{{/if}}`, ...facts, footer),
  },
  flapping: {
    title: '[FLAPPING] {{service.path}} is flapping',
    body: lines(`${who} keeps changing state; it is {{bold state}} right now{{#if cause}}: {{cause}}{{/if}}`, ...facts, footer),
  },
  settled: {
    title: '[SETTLED] {{service.path}} settled {{state}}',
    body: lines(`${who} stopped flapping and settled {{bold state}}{{#if cause}}: {{cause}}{{/if}}`, ...facts, footer),
  },
  test: {
    title: '[TEST] Tocsin test notification for {{service.path}}',
    body: lines(`This is a test notification from Tocsin for ${who}. If you can read this, the channel works.`, footer),
  },
};
