// Runs a checker the way the service does: the config exactly as a user wrote it (validated
// against the checker's schema like the API and config file do, defaults NOT filled in), a
// deadline, and a check that the run really ended near that deadline.
import assert from 'node:assert/strict';
import type { Static, TSchema } from 'typebox';
import Value from 'typebox/value';
import type { CheckerDefinition, CheckOutcome } from '../types.js';

export function configFor<S extends TSchema>(checker: CheckerDefinition<S>, config: Record<string, unknown>): Static<S> {
  const errors = [...Value.Errors(checker.configSchema, config)].map((e) => `${e.instancePath} ${e.message}`);
  assert.deepEqual(errors, [], `config for ${checker.type} is invalid`);
  return config as Static<S>;
}

/** Whether the config passes the checker's schema, as the API and config file would judge it. */
export function isValidConfig<S extends TSchema>(checker: CheckerDefinition<S>, config: Record<string, unknown>): boolean {
  return Value.Check(checker.configSchema, config);
}

export async function runCheck<S extends TSchema>(
  checker: CheckerDefinition<S>,
  config: Record<string, unknown>,
  timeoutMs = 3000,
): Promise<CheckOutcome> {
  const started = performance.now();
  const outcome = await checker.run(configFor(checker, config), { signal: AbortSignal.timeout(timeoutMs), timeoutMs });
  const tookMs = performance.now() - started;
  assert.ok(tookMs < timeoutMs + 500, `${checker.type} check took ${Math.round(tookMs)} ms, over its ${timeoutMs} ms timeout`);
  if (outcome.up) assert.equal(typeof outcome.latencyMs, 'number');
  assert.ok(outcome.detail.length > 0, 'detail is never empty');
  return outcome;
}
