// Roll-ups and pruning on the three databases: uptime from roll-ups equals uptime counted from the
// raw results over the same windows, the jobs never double-count, and pruning keeps what it must.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DataAccess } from '../store/data-access.js';
import { describeEachDatabase } from '../store/test-support/databases.js';
import { prune } from './prune.js';
import { RollupRepository } from './rollup-repository.js';
import { rollupSteps, runRollupStep } from './rollup-steps.js';
import { dailyUptime, serviceUptime } from './uptime-queries.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
// A fixed "now" on a day boundary plus 3h17m, so windows cross minute, hour and day edges.
const now = Date.UTC(2026, 4, 10, 3, 17, 25);

/**
 * Deterministic results every 30 s, with outages and varied latency, over three stretches of a
 * little more than two days (gaps between them keep the test fast and exercise skipping).
 */
const stretches: Array<[number, number]> = [
  [now - 2 * day - 5 * hour, now - 2 * day - 3 * hour],
  [now - day - 4 * hour, now - day + hour],
  [now - 4 * hour, now - 3 * minute],
];
function sampleResults(serviceId: string) {
  const out = [];
  for (const [start, end] of stretches) for (let at = start; at < end; at += 30_000) {
    const n = Math.floor(at / 30_000);
    const up = n % 17 !== 0 && !(at > now - day - 2 * hour && at < now - day - hour);
    out.push({ serviceId, at: at + (n % 7) * 100, up, latencyMs: up ? 20 + (n % 50) * 3 : null, detail: up ? null : 'down' });
  }
  return out;
}

function rawUptime(results: Array<{ at: number; up: boolean }>, from: number, to: number) {
  const inWindow = results.filter((r) => r.at >= from && r.at < to);
  return { total: inWindow.length, up: inWindow.filter((r) => r.up).length };
}

describeEachDatabase('retention: roll-ups and pruning', (getStore) => {
  it('uptime from roll-ups equals raw uptime, and re-running the jobs changes nothing', async () => {
    const data = new DataAccess(getStore());
    const a = sampleResults('svc-a');
    const b = sampleResults('svc-b').filter((_, i) => i % 3 !== 0);
    for (let i = 0; i < a.length; i += 500) await data.repos.results.insertMany(a.slice(i, i + 500));
    for (let i = 0; i < b.length; i += 500) await data.repos.results.insertMany(b.slice(i, i + 500));
    const clock = () => now;
    // Two "instances" run the same steps concurrently: compare-and-set keeps every count single.
    for (const step of rollupSteps(2 * minute)) {
      await Promise.all([runRollupStep(data, step, clock, 60_000), runRollupStep(data, step, clock, 60_000)]);
      await runRollupStep(data, step, clock, 60_000);
    }
    const progress = await new RollupRepository(data.db).progress();
    assert.ok(progress.day >= now - 2 * day, 'days rolled up');

    const windows: Array<[number, number]> = [
      [now - 2 * day - 5 * hour, now], // everything
      [now - 36 * hour - 7 * minute - 13_000, now - 90_000], // unaligned both ends
      [now - day - 2 * hour, now - day - hour], // the outage hour
      [Date.UTC(2026, 4, 9), Date.UTC(2026, 4, 10)], // one whole UTC day
    ];
    for (const [from, to] of windows) {
      const expected = rawUptime(a, from, to);
      const got = await serviceUptime(data.db, 'svc-a', from, to);
      assert.deepEqual({ total: got.total, up: got.up }, expected, `window ${new Date(from).toISOString()}..${new Date(to).toISOString()}`);
    }
    const whole = await serviceUptime(data.db, 'svc-b', now - 3 * day, now);
    assert.deepEqual({ total: whole.total, up: whole.up }, rawUptime(b, now - 3 * day, now));
    assert.ok(whole.latency && whole.latency.max === 20 + 49 * 3, 'exact max latency');
    assert.ok(whole.latency.p50 > 20 && whole.latency.p95 <= whole.latency.max, 'percentiles in range');

    const days = await dailyUptime(data.db, 'svc-a', 5, now);
    assert.equal(days.length, 5);
    for (const d of days) assert.deepEqual({ total: d.total, up: d.up }, rawUptime(a, d.day, d.day + day));
    assert.equal(days[0].uptime, null, 'no data that day');
  });

  it('prunes raw results past retention only once rolled up, and keeps the figures', async () => {
    const data = new DataAccess(getStore());
    const before = await serviceUptime(data.db, 'svc-a', now - 3 * day, now);
    const clock = () => now;
    const pruned = await prune(data.db, { rawMs: day, minuteKeepMs: 30 * hour, hourKeepMs: 400 * day }, clock, 60_000);
    assert.ok(pruned.results > 0 && pruned.buckets > 0);
    const oldest = await data.repos.results.list('svc-a', { limit: 1, to: now - day });
    assert.equal(oldest.length, 0, 'no raw result older than the retention');
    assert.ok((await data.repos.results.list('svc-a', { limit: 1, from: now - day })).length === 1, 'recent raw results kept');
    // Day and hour buckets still cover the pruned part: whole-day figures are unchanged.
    const after = await serviceUptime(data.db, 'svc-a', Date.UTC(2026, 4, 8), Date.UTC(2026, 4, 10));
    const expected = rawUptime(sampleResults('svc-a'), Date.UTC(2026, 4, 8), Date.UTC(2026, 4, 10));
    assert.deepEqual({ total: after.total, up: after.up }, expected);
    assert.ok(before.total > 0);
  });
});
