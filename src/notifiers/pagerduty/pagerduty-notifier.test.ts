import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonBody, startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../test-support/fake-api.js';
import { assertConfigRejected, assertDeliveryError, downEvent, fixedNow, sendWith, upEvent } from '../test-support/notifier-fixtures.js';
import { pagerdutyNotifier } from './pagerduty-notifier.js';

const routingKey = 'R0UT1NGKEY0000000000000000000001';

/** Alerts by dedup_key, as PagerDuty tracks them. */
const alerts = new Map<string, 'triggered' | 'resolved'>();

const invalid = (...errors: string[]): FakeReply => ({ status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors } });

/** Answers like events.pagerduty.com/v2/enqueue, checking the fields the docs require. */
function fakePagerDuty(req: RecordedRequest): FakeReply {
  if (req.path !== '/v2/enqueue' || req.method !== 'POST') return { status: 404, body: { status: 'not found' } };
  if (!String(req.headers['content-type']).startsWith('application/json')) return invalid('Content-Type must be application/json');
  const event = JSON.parse(req.body);
  if (typeof event.routing_key !== 'string' || event.routing_key.length !== 32) return invalid("Length of 'routing_key' is incorrect (should be 32 characters)");
  if (!['trigger', 'acknowledge', 'resolve'].includes(event.event_action)) return invalid("'event_action' is invalid (must be one of: 'trigger', 'acknowledge', 'resolve')");
  if (event.dedup_key !== undefined && (typeof event.dedup_key !== 'string' || event.dedup_key.length > 255)) return invalid("'dedup_key' is too long");
  if (event.event_action === 'trigger') {
    const p = event.payload ?? {};
    const errors = [
      !p.summary && "'payload.summary' is missing or blank",
      !p.source && "'payload.source' is missing or blank",
      !['critical', 'error', 'warning', 'info'].includes(p.severity) && "'payload.severity' is invalid (must be one of: 'critical', 'error', 'warning', 'info')",
      p.summary?.length > 1024 && "'payload.summary' is too long",
    ].filter((e): e is string => typeof e === 'string');
    if (errors.length > 0) return invalid(...errors);
    alerts.set(event.dedup_key, 'triggered');
  } else {
    if (!event.dedup_key) return invalid("'dedup_key' is missing or blank");
    if (alerts.has(event.dedup_key)) alerts.set(event.dedup_key, 'resolved');
  }
  return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: event.dedup_key } };
}

describe('pagerduty notifier', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi(fakePagerDuty);
  });
  after(() => api.close());

  it('triggers on down with summary, source, severity and details', async () => {
    const receipt = await sendWith(pagerdutyNotifier, { routingKey, baseUrl: api.url, group: 'web' });
    assert.deepEqual(receipt, { status: 202, detail: 'trigger accepted', externalId: 'tocsin-svc_123' });
    assert.deepEqual(jsonBody(api.requests.at(-1)!), {
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: 'tocsin-svc_123',
      payload: {
        summary: '[DOWN] acme/website/api is down',
        source: 'https://api.acme.test/health',
        severity: 'critical',
        timestamp: new Date(fixedNow).toISOString(),
        component: 'acme/website/api',
        group: 'web',
        class: 'check',
        custom_details: {
          service: 'acme/website/api',
          name: 'Public API',
          state: 'down',
          previous_state: 'up',
          cause: 'expected status 200-299, got 503',
          since: new Date(fixedNow - 300_000).toISOString(),
          incident_id: 'inc_9',
          details: jsonBody(api.requests.at(-1)!).payload.custom_details.details,
        },
      },
      client: 'Tocsin',
      client_url: 'https://tocsin.acme.test/services/acme/website/api',
      links: [{ href: 'https://tocsin.acme.test/services/acme/website/api', text: 'Open in Tocsin' }],
    });
  });

  it('resolves on recovery with the same dedup_key, so the outage alert closes', async () => {
    alerts.clear();
    await sendWith(pagerdutyNotifier, { routingKey, baseUrl: api.url, severity: 'error' }, downEvent({ kind: 'reminder' }));
    assert.equal(jsonBody(api.requests.at(-1)!).payload.severity, 'error');
    assert.deepEqual([...alerts], [['tocsin-svc_123', 'triggered']]);
    await sendWith(pagerdutyNotifier, { routingKey, baseUrl: api.url }, upEvent());
    assert.deepEqual(jsonBody(api.requests.at(-1)!), { routing_key: routingKey, event_action: 'resolve', dedup_key: 'tocsin-svc_123' });
    assert.deepEqual([...alerts], [['tocsin-svc_123', 'resolved']]);
  });

  it('test events use their own key and info severity', async () => {
    await sendWith(pagerdutyNotifier, { routingKey, baseUrl: api.url }, downEvent({ kind: 'test' }));
    const body = jsonBody(api.requests.at(-1)!);
    assert.equal(body.dedup_key, 'tocsin-test-svc_123');
    assert.equal(body.payload.severity, 'info');
  });

  it('an invalid event is permanent with PagerDuty\'s errors', async () => {
    await assertDeliveryError(sendWith(pagerdutyNotifier, { routingKey, baseUrl: api.url }, downEvent({ service: { ...downEvent().service, target: null, path: '' } })), {
      permanent: true, status: 400, includes: "Event object is invalid - 'payload.source' is missing or blank",
    });
  });

  it('throttling and outages are retryable', async () => {
    api.handle(() => ({ status: 429, headers: { 'retry-after': '20' }, body: { status: 'throttle event', message: 'Requests for this service are arriving too quickly. Please retry later.' } }));
    await assertDeliveryError(sendWith(pagerdutyNotifier, { routingKey, baseUrl: api.url }), { permanent: false, status: 429, retryAfterMs: 20_000, includes: 'arriving too quickly' });
    api.handle(() => ({ status: 502, body: '' }));
    await assertDeliveryError(sendWith(pagerdutyNotifier, { routingKey, baseUrl: api.url }), { permanent: false, status: 502 });
    api.handle(fakePagerDuty);
  });

  it('rejects bad configs', () => {
    assertConfigRejected('pagerduty', { routingKey: 'short' }, '/routingKey');
    assertConfigRejected('pagerduty', { routingKey, severity: 'fatal' }, '/severity');
  });
});
