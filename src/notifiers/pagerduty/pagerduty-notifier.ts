// PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/):
// POST /v2/enqueue. Problems `trigger`, recoveries `resolve`, both with the same dedup_key derived
// from the service id, so a recovery resolves the alert its outage opened and repeated triggers
// (reminders, retries) fold into that one alert instead of opening new ones.
import Type from 'typebox';
import { httpUrlField, joinUrl, templateField } from '../shared/config-fields.js';
import { isRecovery } from '../shared/event-kinds.js';
import { serviceAlertKey } from '../shared/event-key.js';
import { sendHttp } from '../shared/http-request.js';
import { truncate } from '../shared/text.js';
import { defineNotifier, type AlertEvent, type RenderedMessage } from '../types.js';

const severities = ['critical', 'error', 'warning', 'info'] as const;
type Severity = (typeof severities)[number];

export const pagerdutyConfigSchema = Type.Object({
  routingKey: Type.String({ pattern: '^[A-Za-z0-9]{32}$', description: 'Integration key of an Events API v2 integration' }),
  severity: Type.Optional(Type.Union(severities.map((s) => Type.Literal(s)), { description: 'Severity of down alerts (default critical)' })),
  component: Type.Optional(Type.String({ minLength: 1 })),
  group: Type.Optional(Type.String({ minLength: 1 })),
  class: Type.Optional(Type.String({ minLength: 1 })),
  baseUrl: Type.Optional(httpUrlField('Events API base URL', 'https://events.pagerduty.com')),
  template: templateField,
}, { additionalProperties: false });

function severityFor(event: AlertEvent, configured: Severity | undefined): Severity {
  if (event.kind === 'test') return 'info';
  if (event.kind === 'flapping') return 'warning';
  return configured ?? 'critical';
}

function triggerPayload(event: AlertEvent, message: RenderedMessage, severity: Severity, config: { component?: string; group?: string; class?: string }) {
  return {
    summary: truncate(message.title, 1024),
    source: event.service.target ?? event.service.path,
    severity,
    timestamp: new Date(event.at).toISOString(),
    component: config.component ?? event.service.path,
    ...(config.group ? { group: config.group } : {}),
    class: config.class ?? event.service.kind,
    custom_details: {
      service: event.service.path,
      name: event.service.name,
      state: event.state,
      previous_state: event.previousState,
      cause: event.cause,
      since: event.since === null ? null : new Date(event.since).toISOString(),
      incident_id: event.incident?.id ?? null,
      details: message.text,
    },
  };
}

export const pagerdutyNotifier = defineNotifier({
  type: 'pagerduty',
  title: 'PagerDuty (Events API v2)',
  configSchema: pagerdutyConfigSchema,
  secretFields: ['routingKey'],
  async send({ event, message, config }, ctx) {
    const dedupKey = serviceAlertKey(event);
    const body = isRecovery(event)
      ? { routing_key: config.routingKey, event_action: 'resolve', dedup_key: dedupKey }
      : {
          routing_key: config.routingKey,
          event_action: 'trigger',
          dedup_key: dedupKey,
          payload: triggerPayload(event, message, severityFor(event, config.severity), config),
          client: 'Tocsin',
          ...(event.link ? { client_url: event.link, links: [{ href: event.link, text: 'Open in Tocsin' }] } : {}),
        };
    const url = joinUrl(config.baseUrl ?? 'https://events.pagerduty.com', 'v2/enqueue');
    const answer = await sendHttp({ provider: 'PagerDuty', url, json: body, ctx });
    const returned = (answer.json as { dedup_key?: string } | undefined)?.dedup_key;
    return { status: answer.status, detail: `${body.event_action} accepted`, externalId: returned ?? dedupKey };
  },
});
