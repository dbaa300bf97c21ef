// The scheduler against real local HTTP targets through the real http checker, on SQLite.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, httpTarget, sleep, waitFor, type Harness, type HttpTarget } from './support.js';

describe('scheduler: timing and isolation', () => {
  let h: Harness;
  let target: HttpTarget;
  before(async () => { h = await harness(); target = await httpTarget(); });
  after(async () => { await h.close(); await target.close(); });

  it('runs each check at its interval, spreads first starts, and a hanging target delays nobody', async () => {
    target.set('/hang', { status: 200, hang: true });
    const hanging = await h.addService({ name: 'Hanging', config: { url: `${target.url}/hang` }, interval: 1, timeout: 0.5 });
    const fast = [];
    for (let i = 0; i < 12; i++) fast.push(await h.addService({ name: `Fast ${i}`, config: { url: `${target.url}/fast-${i}` } }));
    const starts: Array<{ id: string; due: number; started: number }> = [];
    await h.startScheduler({ spreadMs: 1000, onCheckStart: (id, due, started) => starts.push({ id, due, started }) });
    await sleep(3600);

    // Interval: consecutive hits of one target are ~1 s apart (due times advance by exactly 1 s).
    const hits = target.hits('/fast-0');
    assert.ok(hits.length >= 3 && hits.length <= 5, `expected 3-5 runs in 3.6 s, got ${hits.length}`);
    for (let i = 1; i < hits.length; i++) {
      const gap = hits[i] - hits[i - 1];
      assert.ok(gap > 700 && gap < 1300, `gap ${gap} ms`);
    }
    // Spread: never-checked services start at different offsets over the spread window.
    const firstStarts = new Map<string, number>();
    for (const s of starts) if (!firstStarts.has(s.id)) firstStarts.set(s.id, s.due);
    const offsets = [...firstStarts.values()].sort((a, b) => a - b);
    assert.ok(offsets[offsets.length - 1] - offsets[0] > 400, `first starts spread over ${offsets[offsets.length - 1] - offsets[0]} ms`);
    // Isolation: the hanging target kept timing out (500 ms each time), yet the others started on
    // time. The bound leaves room for a busy test machine while staying well under the timeout.
    const fastLags = starts.filter((s) => s.id !== hanging.id).map((s) => s.started - s.due).sort((a, b) => a - b);
    assert.ok(fastLags[Math.floor(fastLags.length / 2)] < 20, `median lag ${fastLags[Math.floor(fastLags.length / 2)]} ms`);
    assert.ok(fastLags[fastLags.length - 1] < 250, `max lag ${fastLags[fastLags.length - 1]} ms`);
    assert.ok(target.hits('/hang').length >= 3, 'the hanging target is still checked at its interval');
    const service = await h.ctx.data.repos.services.findById(hanging.id);
    assert.match(service!.lastDetail ?? '', /time|abort/i);
  });

  it('bounds concurrency', async () => {
    const h2 = await harness();
    const t2 = await httpTarget();
    try {
      t2.set('/slow', { status: 200, delayMs: 300 });
      for (let i = 0; i < 10; i++) await h2.addService({ name: `Slow ${i}`, config: { url: `${t2.url}/slow` }, interval: 1, timeout: 0.9 });
      await h2.startScheduler({ maxConcurrency: 3, spreadMs: 1 });
      await sleep(1500);
      assert.ok(t2.hits('/slow').length >= 6, `some checks ran (${t2.hits('/slow').length})`);
      assert.equal(t2.maxConcurrent(), 3);
    } finally {
      await h2.close();
      await t2.close();
    }
  });
});
