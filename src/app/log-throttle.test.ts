import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogThrottle } from './log-throttle.js';

describe('LogThrottle', () => {
  it('writes the first report, then one per period with the count it stood for', () => {
    let now = 0;
    const throttle = new LogThrottle(10_000, () => now);
    const written: number[] = [];
    const report = () => throttle.report((notWritten) => written.push(notWritten));
    report();
    for (let i = 0; i < 500; i++) report();
    now = 9_999;
    report();
    now = 10_000;
    report();
    report();
    now = 25_000;
    report();
    assert.deepEqual(written, [0, 501, 1]);
  });
});
