// Where a service's first run lands after a start, a take-over, a creation or a resume; and the
// due queue's order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DueQueue } from './due-queue.js';
import { firstDue } from './first-due.js';

describe('first run and due order', () => {
  const now = 1_000_000;
  it('keeps the rhythm of a recently checked service', () => {
    assert.equal(firstDue({ id: 'a', lastCheckedAt: now - 10_000 }, 30_000, now, 60_000), now + 20_000);
  });

  it('an overdue service takes its next slot in its own rhythm, within one interval', () => {
    assert.equal(firstDue({ id: 'a', lastCheckedAt: now - 70_000 }, 30_000, now, 60_000), now + 20_000);
  });

  it('never-checked services spread over min(interval, window), stably', () => {
    const dues = Array.from({ length: 1000 }, (_, i) => firstDue({ id: `svc-${i}`, lastCheckedAt: null }, 30_000, now, 60_000) - now);
    assert.ok(dues.every((d) => d >= 0 && d < 30_000));
    const perSecond = new Array(30).fill(0);
    for (const d of dues) perSecond[Math.floor(d / 1000)]++;
    assert.ok(Math.max(...perSecond) < 70, `at most ~2x the mean per second, got ${Math.max(...perSecond)}`);
    assert.equal(firstDue({ id: 'svc-1', lastCheckedAt: null }, 30_000, now, 60_000), dues[1] + now);
  });

  it('a long interval overdue for long starts within the spread window, not a day later', () => {
    const due = firstDue({ id: 'daily', lastCheckedAt: now - 3 * 86_400_000 + 5000 }, 86_400_000, now, 60_000);
    assert.ok(due >= now && due < now + 60_000);
  });

  it('pops entries in due order', () => {
    const queue = new DueQueue();
    for (const due of [5, 3, 9, 1, 7, 3]) queue.push({ due, serviceId: `s${due}`, version: 1 });
    const out: number[] = [];
    while (queue.size > 0) out.push(queue.pop()!.due);
    assert.deepEqual(out, [1, 3, 3, 5, 7, 9]);
  });
});
