// Opsgenie Alert API (https://docs.opsgenie.com/docs/alert-api): problems create an alert
// (POST /v2/alerts), recoveries close it (POST /v2/alerts/{alias}/close?identifierType=alias).
// The alias is derived from the service id: Opsgenie keeps one open alert per alias, so
// reminders and retries add to it rather than duplicate it, and the close finds it.
import Type from 'typebox';
import { httpUrlField, joinUrl, secretField, templateField } from '../shared/config-fields.js';
import { isRecovery } from '../shared/event-kinds.js';
import { serviceAlertKey } from '../shared/event-key.js';
import { sendHttp } from '../shared/http-request.js';
import { truncate } from '../shared/text.js';
import { defineNotifier, type AlertEvent, type ConfigError } from '../types.js';

const regionUrls = { us: 'https://api.opsgenie.com', eu: 'https://api.eu.opsgenie.com' } as const;
const priorities = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;

const responderSchema = Type.Object({
  type: Type.Union([Type.Literal('team'), Type.Literal('user'), Type.Literal('escalation'), Type.Literal('schedule')]),
  id: Type.Optional(Type.String({ minLength: 1 })),
  name: Type.Optional(Type.String({ minLength: 1 })),
  username: Type.Optional(Type.String({ minLength: 1 })),
}, { additionalProperties: false });

export const opsgenieConfigSchema = Type.Object({
  apiKey: secretField('API key of an API integration'),
  region: Type.Optional(Type.Union([Type.Literal('us'), Type.Literal('eu')], { default: 'us' })),
  baseUrl: Type.Optional(httpUrlField('Overrides the region URL')),
  priority: Type.Optional(Type.Union(priorities.map((p) => Type.Literal(p)), { description: 'Priority of down alerts (default P2)' })),
  responders: Type.Optional(Type.Array(responderSchema, { maxItems: 50 })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 20 })),
  template: templateField,
}, { additionalProperties: false });

function priorityFor(event: AlertEvent, configured: string | undefined): string {
  if (event.kind === 'test') return 'P5';
  if (event.kind === 'flapping') return 'P3';
  return configured ?? 'P2';
}

function details(event: AlertEvent): Record<string, string> {
  const all: Record<string, string | null> = {
    service: event.service.path,
    state: event.state,
    previousState: event.previousState,
    cause: event.cause,
    target: event.service.target,
    link: event.link,
  };
  return Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== null));
}

export const opsgenieNotifier = defineNotifier({
  type: 'opsgenie',
  title: 'Opsgenie',
  configSchema: opsgenieConfigSchema,
  secretFields: ['apiKey'],
  checkConfig(config) {
    const errors: ConfigError[] = [];
    (config.responders ?? []).forEach((r, i) => {
      if (!r.id && !r.name && !r.username) errors.push({ path: `/responders/${i}`, message: 'give id, name or username' });
    });
    return errors;
  },
  async send({ event, message, config }, ctx) {
    const base = config.baseUrl ?? regionUrls[config.region ?? 'us'];
    const alias = serviceAlertKey(event);
    const close = isRecovery(event);
    const url = close
      ? joinUrl(base, `v2/alerts/${encodeURIComponent(alias)}/close?identifierType=alias`)
      : joinUrl(base, 'v2/alerts');
    const body = close
      ? { source: 'Tocsin', note: truncate(message.text, 25000) }
      : {
          message: truncate(message.title, 130),
          alias,
          description: truncate(message.text, 15000),
          ...(config.responders ? { responders: config.responders } : {}),
          tags: ['tocsin', ...(config.tags ?? [])],
          details: details(event),
          entity: event.service.path,
          source: 'Tocsin',
          priority: priorityFor(event, config.priority),
        };
    const answer = await sendHttp({ provider: 'Opsgenie', url, headers: { authorization: `GenieKey ${config.apiKey}` }, json: body, ctx });
    const requestId = (answer.json as { requestId?: string } | undefined)?.requestId;
    return { status: answer.status, detail: close ? 'close requested' : 'create requested', ...(requestId ? { externalId: requestId } : {}) };
  },
});
