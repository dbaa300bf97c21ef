// When the batch writer starts another batch beside a running one (the writing itself is tested
// on the three databases in heartbeat-store.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { worthStarting } from './batch-writer.js';

describe('starting a batch', () => {
  it('starts at once when none is running, whatever waits', () => {
    assert.equal(worthStarting([], 1), true);
  });

  it('beside running batches, waits until as many check-ins wait as the smallest one holds', () => {
    assert.equal(worthStarting([25], 3), false, 'a second batch of 3 beside 25 would waste a statement');
    assert.equal(worthStarting([25], 25), true);
    assert.equal(worthStarting([40, 2], 2), true);
    assert.equal(worthStarting([1], 1), true, 'a trickle still overlaps');
  });
});
