import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from './duration.js';
import { applyCheckResult } from './service-state.js';
import { parsePath, slugify } from './slug-path.js';

describe('durations', () => {
  it('parses compact, Missme and numeric forms', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('hours 4'), 4 * 3_600_000);
    assert.equal(parseDuration('days 1'), 86_400_000);
    assert.equal(parseDuration(90), 90_000);
    assert.equal(parseDuration('90'), 90_000);
  });
  it('rejects what is not a duration', () => {
    for (const bad of ['', 'soon', '5 parsecs', '10x', 'hours', '-5s', 'fortnights 2']) assert.equal(parseDuration(bad), null, bad);
  });
  it('formats for humans', () => {
    assert.equal(formatDuration(90_061_000), '1d 1h 1m');
    assert.equal(formatDuration(725_000), '12m 5s');
    assert.equal(formatDuration(250), '250ms');
  });
});

describe('slug paths', () => {
  it('slugifies names', () => {
    assert.equal(slugify('Acme Corp — API!'), 'acme-corp-api');
    assert.equal(slugify('Café Crème'), 'cafe-creme');
    assert.equal(slugify('***'), 'item');
  });
  it('parses paths of one to three slugs', () => {
    assert.deepEqual(parsePath('acme/website/api'), { namespace: 'acme', project: 'website', service: 'api' });
    assert.deepEqual(parsePath('/acme/'), { namespace: 'acme', project: undefined, service: undefined });
    assert.equal(parsePath('a/b/c/d'), null);
    assert.equal(parsePath('Acme'), null);
    assert.equal(parsePath('a//b'), null);
  });
});

describe('check state machine', () => {
  const base = { state: 'up' as const, consecutiveFailures: 0, hasOpenIncident: false, retries: 2, inMaintenance: false };
  it('goes pending while retries last, then down with an incident', () => {
    const first = applyCheckResult(base, false);
    assert.deepEqual([first.state, first.consecutiveFailures, first.openIncident], ['pending', 1, false]);
    const second = applyCheckResult({ ...base, ...first }, false);
    assert.equal(second.state, 'pending');
    const third = applyCheckResult({ ...base, ...second }, false);
    assert.deepEqual([third.state, third.openIncident], ['down', true]);
    const fourth = applyCheckResult({ ...base, ...third, hasOpenIncident: true }, false);
    assert.deepEqual([fourth.state, fourth.openIncident], ['down', false], 'one incident, not one per failure');
  });
  it('recovers and resolves the open incident', () => {
    const r = applyCheckResult({ ...base, state: 'down', consecutiveFailures: 5, hasOpenIncident: true }, true);
    assert.deepEqual([r.state, r.consecutiveFailures, r.resolveIncident], ['up', 0, true]);
  });
  it('with no retries, the first failure is down', () => {
    assert.equal(applyCheckResult({ ...base, retries: 0 }, false).state, 'down');
  });
  it('maintenance keeps the state maintenance and never opens an incident', () => {
    const r = applyCheckResult({ ...base, retries: 0, inMaintenance: true }, false);
    assert.deepEqual([r.state, r.openIncident], ['maintenance', false]);
  });
});
