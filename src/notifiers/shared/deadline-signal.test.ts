import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { deadlineSignal } from './deadline-signal.js';

// A full garbage collection, as happens at any time in a busy process.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('deadlineSignal', () => {
  it('aborts at its time with a TimeoutError, even after a garbage collection', async () => {
    const parent = new AbortController();
    const { signal } = deadlineSignal(150, parent.signal);
    await sleep(20);
    collectGarbage();
    await sleep(300);
    assert.equal(signal.aborted, true);
    assert.equal((signal.reason as DOMException).name, 'TimeoutError');
    assert.match((signal.reason as Error).message, /timed out after 150 ms/);
  });

  it('follows its parent, also one aborted already', () => {
    const parent = new AbortController();
    const { signal } = deadlineSignal(10_000, parent.signal);
    parent.abort(new Error('stopping'));
    assert.equal((signal.reason as Error).message, 'stopping');
    const late = deadlineSignal(10_000, parent.signal);
    assert.equal(late.signal.aborted, true);
    late.clear();
  });

  it('never fires once cleared', async () => {
    const deadline = deadlineSignal(50);
    deadline.clear();
    await sleep(120);
    assert.equal(deadline.signal.aborted, false);
  });
});
