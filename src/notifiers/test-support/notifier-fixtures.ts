// Shared by the notifier tests: a realistic event, a context, and an assertion for DeliveryErrors.
import assert from 'node:assert/strict';
import { DeliveryError, type AlertEvent, type NotifierContext, type NotifierDefinition, type DeliveryReceipt } from '../types.js';
import { renderMessage } from '../render/render-message.js';
import { validateNotifierConfig } from '../registry.js';

export const fixedNow = Date.UTC(2024, 4, 1, 12, 5, 0);

export function downEvent(overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    kind: 'down',
    service: { id: 'svc_123', path: 'acme/website/api', name: 'Public API', kind: 'check', target: 'https://api.acme.test/health' },
    state: 'down',
    previousState: 'up',
    cause: 'expected status 200-299, got 503',
    at: fixedNow,
    since: fixedNow - 5 * 60_000,
    incident: { id: 'inc_9', openedAt: fixedNow - 5 * 60_000, resolvedAt: null, durationMs: null },
    link: 'https://tocsin.acme.test/services/acme/website/api',
    ...overrides,
  };
}

export function upEvent(overrides: Partial<AlertEvent> = {}): AlertEvent {
  const openedAt = fixedNow - 12 * 60_000 - 5000;
  return downEvent({
    kind: 'up',
    state: 'up',
    previousState: 'down',
    cause: null,
    since: fixedNow,
    incident: { id: 'inc_9', openedAt, resolvedAt: fixedNow, durationMs: fixedNow - openedAt },
    ...overrides,
  });
}

/** The default text body of downEvent(), as the render tests pin it down. */
export const downEventText = [
  'Public API (acme/website/api) is down: expected status 200-299, got 503',
  'Target: https://api.acme.test/health',
  'Since: 2024-05-01T12:00:00Z (5m ago)',
  'Previous state: up',
  'Open in Tocsin: https://tocsin.acme.test/services/acme/website/api',
].join('\n');

export function testContext(signal: AbortSignal = new AbortController().signal): NotifierContext {
  return { signal, now: () => fixedNow };
}

/** Validates the config through the registry (as the dispatcher would), renders and sends. */
export async function sendWith<S extends NotifierDefinition<any>>(
  notifier: S,
  config: unknown,
  event: AlertEvent = downEvent(),
): Promise<DeliveryReceipt> {
  assert.deepEqual(validateNotifierConfig(notifier.type, config), [], 'the test config must be valid');
  return notifier.send({ event, message: renderMessage(event), config }, testContext());
}

export async function assertDeliveryError(
  promise: Promise<unknown>,
  expected: { permanent: boolean; includes?: string; status?: number; retryAfterMs?: number },
): Promise<DeliveryError> {
  const err = await promise.then(
    () => assert.fail('expected a DeliveryError'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof DeliveryError, `expected a DeliveryError, got ${String(err)}`);
  assert.equal(err.permanent, expected.permanent, `permanent (message: ${err.message})`);
  if (expected.includes !== undefined) assert.ok(err.message.includes(expected.includes), `"${err.message}" should include "${expected.includes}"`);
  if (expected.status !== undefined) assert.equal(err.status, expected.status);
  if (expected.retryAfterMs !== undefined) assert.equal(err.retryAfterMs, expected.retryAfterMs);
  return err;
}

/** Asserts the registry rejects the config, at the given JSON pointer when one is given. */
export function assertConfigRejected(type: string, config: unknown, path?: string): void {
  const errors = validateNotifierConfig(type, config);
  assert.ok(errors.length > 0, `config should be rejected: ${JSON.stringify(config)}`);
  if (path !== undefined) assert.ok(errors.some((e) => e.path === path), `expected an error at ${path}, got ${JSON.stringify(errors)}`);
}
