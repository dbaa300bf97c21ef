import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastDays, monthSpan, startOfZonedDay, zonedDate } from './time-zone.js';
import { uptimeBySpan } from './uptime-timeline.js';

const hour = 3_600_000;

describe('uptime from the state timeline', () => {
  it('counts down time against monitored time only', () => {
    const spans = [{ start: 0, end: 10 * hour }, { start: 10 * hour, end: 20 * hour }];
    const changes = [
      { at: 2 * hour, from: 'unknown', to: 'up' },
      { at: 6 * hour, from: 'up', to: 'down' },
      { at: 7 * hour, from: 'down', to: 'up' },
      { at: 12 * hour, from: 'up', to: 'maintenance' },
      { at: 14 * hour, from: 'maintenance', to: 'up' },
    ];
    const [a, b] = uptimeBySpan(changes, 'up', spans);
    assert.equal(a.monitoredMs, 8 * hour);
    assert.equal(a.downMs, hour);
    assert.equal(a.uptime, 7 / 8);
    assert.equal(b.monitoredMs, 8 * hour);
    assert.equal(b.uptime, 1);
  });

  it('uses the current state through spans without changes, and null when never monitored', () => {
    assert.deepEqual(uptimeBySpan([], 'down', [{ start: 0, end: hour }]), [{ uptime: 0, downMs: hour, monitoredMs: hour }]);
    assert.equal(uptimeBySpan([], 'paused', [{ start: 0, end: hour }])[0].uptime, null);
  });
});

describe('days in a time zone', () => {
  it('finds local midnight across daylight saving', () => {
    assert.equal(new Date(startOfZonedDay('2026-07-01', 'Europe/Paris')).toISOString(), '2026-06-30T22:00:00.000Z');
    assert.equal(new Date(startOfZonedDay('2026-12-01', 'Europe/Paris')).toISOString(), '2026-11-30T23:00:00.000Z');
    assert.equal(new Date(startOfZonedDay('2026-03-29', 'Europe/Paris')).toISOString(), '2026-03-28T23:00:00.000Z');
    assert.equal(zonedDate(Date.parse('2026-11-21T23:30:00Z'), 'Asia/Tokyo'), '2026-11-22');
  });

  it('lists the last days, today ending now; 23-hour DST days stay whole', () => {
    const now = Date.parse('2026-03-30T10:00:00Z');
    const days = lastDays(now, 'Europe/Paris', 3);
    assert.deepEqual(days.map((d) => d.date), ['2026-03-28', '2026-03-29', '2026-03-30']);
    assert.equal(days[1].end - days[1].start, 23 * hour);
    assert.equal(days[2].end, now);
    const month = monthSpan('2026-12', 'UTC');
    assert.equal(month.end - month.start, 31 * 24 * hour);
  });
});
