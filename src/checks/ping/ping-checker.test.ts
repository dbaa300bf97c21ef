import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkContext } from '../shared/test-support/servers.js';
import { skipUnlessInstalled } from '../shared/test-support/system-tool.js';
import { pingChecker } from './ping-checker.js';
import { parsePingOutput } from './ping-output.js';

describe('ping output parsing', () => {
  it('reads iputils summaries, with and without errors', () => {
    assert.deepEqual(parsePingOutput('3 packets transmitted, 3 received, 0% packet loss, time 402ms\nrtt min/avg/max/mdev = 0.035/0.044/0.055/0.008 ms\n'),
      { transmitted: 3, received: 3, lossPercent: 0, averageMs: 0.044 });
    assert.deepEqual(parsePingOutput('3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2003ms\n'),
      { transmitted: 3, received: 0, lossPercent: 100 });
    assert.equal(parsePingOutput('6 packets transmitted, 4 received, 33.3333% packet loss')?.lossPercent, 33.3333);
  });

  it('reads BusyBox summaries', () => {
    assert.deepEqual(parsePingOutput('2 packets transmitted, 2 packets received, 0% packet loss\nround-trip min/avg/max = 0.1/0.2/0.3 ms'),
      { transmitted: 2, received: 2, lossPercent: 0, averageMs: 0.2 });
  });

  it('returns null when there is no summary', () => {
    assert.equal(parsePingOutput('ping: nonexistent.invalid: Name or service not known'), null);
  });
});

describe('ping checker', { skip: skipUnlessInstalled('ping', 'iputils-ping') }, () => {
  it('pings 127.0.0.1', async () => {
    const outcome = await pingChecker.run({ host: '127.0.0.1', count: 2 }, checkContext(3000));
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, /^average [\d.]+ ms, no packet loss$/);
    assert.ok(outcome.latencyMs !== null && outcome.latencyMs >= 0);
  });

  it('pings ::1', async () => {
    const outcome = await pingChecker.run({ host: '::1', count: 2, ipFamily: 6 }, checkContext(3000));
    assert.equal(outcome.up, true, outcome.detail);
  });

  it('is down for a name that does not resolve', async () => {
    const outcome = await pingChecker.run({ host: 'nonexistent.invalid', count: 1 }, checkContext(3000));
    assert.deepEqual(outcome, { up: false, latencyMs: null, detail: 'host name not found: nonexistent.invalid' });
  });

  it('rejects an IP literal of the wrong family', async () => {
    const outcome = await pingChecker.run({ host: '::1', count: 1, ipFamily: 4 }, checkContext(3000));
    assert.deepEqual(outcome, { up: false, latencyMs: null, detail: 'ipFamily is 4 but ::1 is an IPv6 address' });
  });

  it('stops at the timeout', async () => {
    const started = Date.now();
    const outcome = await pingChecker.run({ host: '127.0.0.1', count: 20 }, checkContext(300));
    assert.deepEqual(outcome, { up: false, latencyMs: null, detail: 'timed out after 300 ms' });
    assert.ok(Date.now() - started < 1000);
  });
});
