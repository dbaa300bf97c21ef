// Runs a checker the way the scheduler does: config with defaults applied and validated against
// the checker's schema, a deadline, and a check that the run really ended near that deadline.
import assert from 'node:assert/strict';
import type { Static, TSchema } from 'typebox';
import Value from 'typebox/value';
import type { CheckerDefinition, CheckOutcome } from '../types.js';

export function configFor<S extends TSchema>(checker: CheckerDefinition<S>, config: Record<string, unknown>): Static<S> {
  const withDefaults = Value.Default(checker.configSchema, Value.Clone(config));
  const errors = [...Value.Errors(checker.configSchema, withDefaults)].map((e) => `${e.instancePath} ${e.message}`);
  assert.deepEqual(errors, [], `config for ${checker.type} is invalid`);
  return withDefaults as Static<S>;
}

/** Whether the config passes the checker's schema once defaults are applied, as the API and config file would see it. */
export function isValidConfig<S extends TSchema>(checker: CheckerDefinition<S>, config: Record<string, unknown>): boolean {
  return Value.Check(checker.configSchema, Value.Default(checker.configSchema, Value.Clone(config)));
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
