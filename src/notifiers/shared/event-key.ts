// Deterministic identities derived from an alert event, so that a retried delivery is recognised
// by providers that deduplicate (Matrix txnId, webhook receivers) and so that a trigger and its
// resolve pair up (PagerDuty dedup_key, Opsgenie alias).
import { createHash } from 'node:crypto';
import type { AlertEvent } from '../types.js';

/** The same for every retry of one event, different for the next event: 32 hex characters. */
export function eventKey(event: AlertEvent): string {
  return createHash('sha256')
    .update(JSON.stringify([event.service.id, event.kind, event.state, event.previousState, event.at]))
    .digest('hex')
    .slice(0, 32);
}

/**
 * Stable per service, so that the problem opened by a `down` event is the one closed by the next
 * `up` event. Test events use a key of their own so that they never touch a real alert.
 */
export function serviceAlertKey(event: AlertEvent): string {
  return event.kind === 'test' ? `tocsin-test-${event.service.id}` : `tocsin-${event.service.id}`;
}

