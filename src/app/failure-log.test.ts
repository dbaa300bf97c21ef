import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { Logger } from '../logger.js';
import { FailureLog } from './failure-log.js';

function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write(chunk, _encoding, done) { lines.push(JSON.parse(String(chunk)) as Record<string, unknown>); done(); } });
  return { logger: pino({ level: 'info' }, sink) as Logger, lines };
}

describe('FailureLog', () => {
  it('writes the first failure, one line per period after it, and one line when the job works again', async () => {
    let now = 0;
    const { logger, lines } = capturingLogger();
    const log = new FailureLog(logger, 'moving the inbox', 10_000, () => now);
    const fail = () => log.run(async () => { throw new Error('connection refused'); });
    // 41 failures, 250 ms apart: at 0 s and at 10 s.
    for (let i = 0; i < 41; i++) { await fail(); now += 250; }
    await log.run(async () => {});
    await log.run(async () => {});
    await fail();

    assert.deepEqual(lines.map((l) => [l.level, l.msg, l.failuresInARow, l.notLogged]), [
      [50, 'moving the inbox failed; will retry', 1, 0],
      [50, 'moving the inbox failed; will retry', 41, 39],
      [30, 'moving the inbox works again', 41, undefined],
      [50, 'moving the inbox failed; will retry', 1, 0],
    ]);
    assert.equal((lines[0].err as { message: string }).message, 'connection refused');
  });
});
