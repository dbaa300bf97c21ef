// Two scheduler instances over one PostgreSQL database: shards are split, no check runs twice,
// and the survivor takes everything over when one stops. Restarts resume from last_checked_at.
// Results are written in batches (counted at the transaction level).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { skipReason } from '../../src/store/test-support/databases.js';
import { harness, httpTarget, sleep, waitFor, type Harness, type HttpTarget } from './support.js';

describe('scheduler: two instances on PostgreSQL', { skip: skipReason('postgres') }, () => {
  let h: Harness;
  let target: HttpTarget;
  before(async () => { h = await harness('postgres'); target = await httpTarget(); });
  after(async () => { await h.close(); await target.close(); });

  it('splits shards, never double-runs, and the survivor takes over', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) ids.push((await h.addService({ name: `Svc ${i}`, config: { url: `${target.url}/s${i}` }, interval: 1 })).id);
    const a = await h.startScheduler({ spreadMs: 1000 });
    const b = await h.startScheduler({ spreadMs: 1000 }, h.secondContext());
    await waitFor(() => a.ownedShards.size === 32 && b.ownedShards.size === 32, 5000, 'an even split');
    await waitFor(() => a.scheduledCount + b.scheduledCount === 16, 3000, 'every service scheduled exactly once');
    assert.ok(a.scheduledCount > 0 && b.scheduledCount > 0, 'both instances run checks');
    const from = Date.now();
    await sleep(3000);
    for (let i = 0; i < 16; i++) {
      const n = target.hits(`/s${i}`).filter((t) => t >= from).length;
      assert.ok(n >= 2 && n <= 4, `service ${i} ran ${n} times in 3 s at a 1 s interval`);
    }
    await a.stop();
    await waitFor(() => b.ownedShards.size === 64 && b.scheduledCount === 16, 5000, 'take-over');
    const afterStop = Date.now();
    await sleep(2200);
    for (let i = 0; i < 16; i++) assert.ok(target.hits(`/s${i}`).some((t) => t > afterStop), `service ${i} runs after the take-over`);
  });
});

describe('scheduler: restart and batches', () => {
  let h: Harness;
  let target: HttpTarget;
  before(async () => { h = await harness(); target = await httpTarget(); });
  after(async () => { await h.close(); await target.close(); });

  it('resumes from last_checked_at after a restart instead of running everything at once', async () => {
    const service = await h.addService({ name: 'Slow rhythm', config: { url: `${target.url}/rhythm` }, interval: 4, timeout: 1 });
    const first = await h.startScheduler({ spreadMs: 1 });
    await waitFor(() => target.hits('/rhythm').length === 1, 3000, 'first run');
    await waitFor(async () => (await h.ctx.data.repos.services.findById(service.id))!.lastCheckedAt !== null, 3000, 'result written');
    await first.stop();
    const last = (await h.ctx.data.repos.services.findById(service.id))!.lastCheckedAt!;
    await h.startScheduler({ spreadMs: 1 });
    await waitFor(() => target.hits('/rhythm').length === 2, 6000, 'second run');
    const second = target.hits('/rhythm')[1];
    assert.ok(second - last > 3700 && second - last < 4400, `next run ${second - last} ms after the last check, expected ~4000`);
  });

  it('writes results in batches: far fewer transactions than results', async () => {
    const h2 = await harness();
    let transactions = 0;
    const original = h2.ctx.data.transaction.bind(h2.ctx.data);
    h2.ctx.data.transaction = (fn) => { transactions++; return original(fn); };
    let written = 0;
    try {
      for (let i = 0; i < 40; i++) await h2.addService({ name: `Batch ${i}`, config: { url: `${target.url}/b${i}` } });
      transactions = 0;
      await h2.startScheduler({ spreadMs: 200, flushMs: 250, onBatch: (info) => { written += info.written; } });
      await sleep(2600);
      assert.ok(written >= 80, `results written: ${written}`);
      assert.ok(transactions <= written / 8, `${transactions} transactions for ${written} results`);
    } finally {
      await h2.close();
    }
  });
});
