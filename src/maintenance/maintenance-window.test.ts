// Maintenance window evaluation: one-off ranges, recurring cron windows in an IANA time zone
// (across a daylight-saving change), scopes, and upcoming occurrences.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coversService, occurrenceAt, occurrencesBetween, type MaintenanceWindow } from './maintenance-window.js';

const base: MaintenanceWindow = {
  id: 'w1', namespaceId: 'ns', scope: 'project', scopeId: 'p1', title: 'Upgrade', description: null,
  startsAt: null, endsAt: null, cron: null, durationMs: null, timeZone: null, managedBy: null, createdAt: 0, updatedAt: 0,
};
const at = (iso: string) => Date.parse(iso);

describe('maintenance windows', () => {
  it('one-off: start inclusive, end exclusive', () => {
    const w = { ...base, startsAt: at('2026-03-01T10:00:00Z'), endsAt: at('2026-03-01T12:00:00Z') };
    assert.equal(occurrenceAt(w, at('2026-03-01T09:59:59Z')), null);
    assert.ok(occurrenceAt(w, at('2026-03-01T10:00:00Z')));
    assert.ok(occurrenceAt(w, at('2026-03-01T11:59:59Z')));
    assert.equal(occurrenceAt(w, at('2026-03-01T12:00:00Z')), null);
  });

  it('recurring: Sundays 02:00-04:00 Paris time, before and after the switch to summer time', () => {
    const w = { ...base, cron: '0 2 * * 0', durationMs: 2 * 3_600_000, timeZone: 'Europe/Paris' };
    // Winter (UTC+1): 02:00 Paris = 01:00 UTC.
    assert.ok(occurrenceAt(w, at('2026-03-22T01:30:00Z')));
    assert.equal(occurrenceAt(w, at('2026-03-22T00:59:00Z')), null);
    assert.equal(occurrenceAt(w, at('2026-03-22T03:00:00Z')), null);
    // Summer (UTC+2) from 29 March: 02:00 Paris = 00:00 UTC on 5 April.
    assert.ok(occurrenceAt(w, at('2026-04-05T00:30:00Z')));
    assert.equal(occurrenceAt(w, at('2026-04-05T02:00:00Z')), null);
    assert.equal(occurrenceAt(w, at('2026-04-06T00:30:00Z')), null, 'not on a Monday');
  });

  it('recurring windows respect their active range', () => {
    const w = { ...base, cron: '0 * * * *', durationMs: 600_000, startsAt: at('2026-01-01T00:00:00Z'), endsAt: at('2026-01-01T05:00:00Z') };
    assert.ok(occurrenceAt(w, at('2026-01-01T03:05:00Z')));
    assert.equal(occurrenceAt(w, at('2026-01-01T06:05:00Z')), null);
    assert.equal(occurrenceAt(w, at('2025-12-31T23:05:00Z')), null);
  });

  it('lists upcoming occurrences, including one in progress', () => {
    const w = { ...base, cron: '0 */6 * * *', durationMs: 3_600_000, timeZone: 'UTC' };
    const list = occurrencesBetween(w, at('2026-01-01T00:30:00Z'), at('2026-01-02T00:00:00Z'));
    assert.deepEqual(list.map((o) => new Date(o.start).toISOString()), [
      '2026-01-01T00:00:00.000Z', '2026-01-01T06:00:00.000Z', '2026-01-01T12:00:00.000Z', '2026-01-01T18:00:00.000Z',
    ]);
  });

  it('scopes cover a namespace, a project or one service', () => {
    const service = { id: 's1', projectId: 'p1', namespaceId: 'ns' };
    assert.ok(coversService(base, service));
    assert.ok(coversService({ ...base, scope: 'namespace', scopeId: 'ns' }, service));
    assert.ok(!coversService({ ...base, scope: 'service', scopeId: 's2' }, service));
  });
});
