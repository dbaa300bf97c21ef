import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deadlinesAfter, evaluate, runLimitMs } from './schedule.js';
import { applySignal } from './signals.js';

const t = (iso: string) => Date.parse(iso);
const hour = 3_600_000;

describe('heartbeat schedule', () => {
  it('period: late after the period, down after the grace', () => {
    const config = { schedule: 'period' as const, period: '1h', grace: '10m' };
    const last = t('2026-01-01T00:00:00Z');
    assert.deepEqual(deadlinesAfter(config, last), { lateAt: last + hour, downAt: last + hour + 600_000 });
    const snap = { state: 'up' as const, lastPingAt: last, runStartedAt: null };
    assert.deepEqual(evaluate(config, snap, last + 1000), { state: 'up', nextDeadline: last + hour, cause: null });
    assert.equal(evaluate(config, snap, last + hour).state, 'late');
    assert.equal(evaluate(config, snap, last + hour).nextDeadline, last + hour + 600_000);
    assert.equal(evaluate(config, snap, last + hour + 600_000).state, 'down');
  });

  it('missme: "days 1" with threshold 3 is dead only after 4 days without a check-in', () => {
    const config = { schedule: 'missme' as const, every: 'days 1', threshold: 3 };
    const last = t('2026-01-01T00:00:00Z');
    const snap = { state: 'up' as const, lastPingAt: last, runStartedAt: null };
    assert.equal(evaluate(config, snap, last + 24 * hour).state, 'late');
    assert.equal(evaluate(config, snap, last + 96 * hour - 1).state, 'late');
    assert.equal(evaluate(config, snap, last + 96 * hour).state, 'down');
  });

  it('cron in Europe/Berlin is right across the spring DST change', () => {
    const config = { schedule: 'cron' as const, cron: '0 3 * * *', timezone: 'Europe/Berlin', grace: '30m' };
    // 03:00 CET is 02:00 UTC; after the change on 29 March 2026, 03:00 CEST is 01:00 UTC.
    assert.equal(deadlinesAfter(config, t('2026-03-27T02:05:00Z')).lateAt, t('2026-03-28T02:00:00Z'));
    assert.equal(deadlinesAfter(config, t('2026-03-28T02:05:00Z')).lateAt, t('2026-03-29T01:00:00Z'));
    assert.equal(deadlinesAfter(config, t('2026-03-28T02:05:00Z')).downAt, t('2026-03-29T01:30:00Z'));
    // Autumn: 25 October 2026, 03:00 CET is 02:00 UTC again.
    assert.equal(deadlinesAfter(config, t('2026-10-24T01:05:00Z')).lateAt, t('2026-10-25T02:00:00Z'));
  });

  it('a started run that never finishes is down after maxRunTime (default: the grace)', () => {
    const config = { schedule: 'period' as const, period: '1d', grace: '5m' };
    assert.equal(runLimitMs(config), 300_000);
    assert.equal(runLimitMs({ ...config, maxRunTime: '2h' }), 2 * hour);
    const started = t('2026-01-01T00:00:00Z');
    const snap = { state: 'up' as const, lastPingAt: started - 1000, runStartedAt: started };
    assert.equal(evaluate(config, snap, started + 1000).nextDeadline, started + 300_000);
    const late = evaluate(config, snap, started + 300_000);
    assert.equal(late.state, 'down');
    assert.match(late.cause!, /never finished within 5m/);
    // Even a service that never checked in before is caught.
    assert.equal(evaluate(config, { state: 'unknown', lastPingAt: null, runStartedAt: started }, started + 300_000).state, 'down');
  });

  it('signals: unknown, paused and down services only leave their state on a check-in', () => {
    const config = { schedule: 'period' as const, period: '1m' };
    assert.deepEqual(evaluate(config, { state: 'unknown', lastPingAt: null, runStartedAt: null }, 1e12), { state: 'unknown', nextDeadline: null, cause: null });
    const paused = applySignal(config, { state: 'paused', lastPingAt: null, runStartedAt: null }, { kind: 'success' }, 1000);
    assert.equal(paused.transition, null);
    const up = applySignal(config, { state: 'down', lastPingAt: null, runStartedAt: 500 }, { kind: 'exit', exitStatus: 0 }, 1000);
    assert.equal(up.transition?.to, 'up');
    assert.equal(up.transition?.resolveIncident, true);
    assert.equal(up.durationMs, 500);
    const down = applySignal(config, up.snapshot, { kind: 'exit', exitStatus: 2 }, 2000);
    assert.deepEqual(down.transition, { from: 'up', to: 'down', cause: 'exited with status 2', openIncident: true, resolveIncident: false });
  });
});
