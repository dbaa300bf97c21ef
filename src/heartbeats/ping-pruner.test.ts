// Pruning old check-ins on the three databases: oldest first, window by window, recent ones kept.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { buildContext } from '../app/build-context.js';
import { systemActor } from '../auth/actor.js';
import { readSettings } from '../config/settings.js';
import { silentLogger } from '../logger.js';
import { describeEachDatabase } from '../store/test-support/databases.js';
import { pruneOldPings, prunePings } from './ping-pruner.js';

const day = 86_400_000;
const t0 = Date.parse('2026-06-01T00:00:00Z');

describeEachDatabase('check-in pruning', (getStore) => {
  async function serviceWithPings(ages: number[]): Promise<{ ctx: ReturnType<typeof buildContext>; serviceId: string }> {
    const ctx = buildContext(readSettings({}), getStore(), silentLogger(), () => t0);
    const actor = systemActor('test');
    const ns = await ctx.namespaces.create(actor, { slug: `ns-${randomUUID().slice(0, 8)}`, name: 'ns' });
    const project = await ctx.projects.create(actor, ns.id, { slug: 'p', name: 'p' });
    const service = await ctx.services.create(actor, project.id, { slug: 'hb', name: 'hb', type: 'heartbeat', config: { schedule: 'period', period: '1d' } });
    // Only this test's pings, inserted one at a time, so that ids follow arrival as in production.
    await ctx.data.db.deleteFrom('heartbeat_pings').execute();
    for (const age of ages) {
      await ctx.data.db.insertInto('heartbeat_pings').values({
        service_id: service.id, at: t0 - age, kind: 'success', exit_status: null, duration_ms: null, body: `${age}`, source_ip: null, user_agent: null,
      }).execute();
    }
    return { ctx, serviceId: service.id };
  }

  const remaining = async (ctx: ReturnType<typeof buildContext>, serviceId: string) =>
    (await ctx.data.db.selectFrom('heartbeat_pings').select('at').where('service_id', '=', serviceId).orderBy('id').execute()).map((r) => (t0 - Number(r.at)) / day);

  it('deletes the check-ins older than the cutoff, oldest first, a window of ids at a time', async () => {
    const { ctx, serviceId } = await serviceWithPings([40, 39, 38, 35, 33, 31, 20, 2, 1, 0].map((d) => d * day));
    const deleted = await prunePings(ctx.data.db, t0 - 30 * day, () => t0, { budgetMs: 60_000, window: 2 });
    assert.equal(deleted, 6);
    assert.deepEqual(await remaining(ctx, serviceId), [20, 2, 1, 0]);
    assert.equal(await prunePings(ctx.data.db, t0 - 30 * day, () => t0, { budgetMs: 60_000, window: 2 }), 0, 'nothing left to delete');
  });

  it('stops at its time budget and goes on at the next pass', async () => {
    const { ctx, serviceId } = await serviceWithPings([50, 49, 48, 47, 1].map((d) => d * day));
    let clock = t0;
    // Each reading of the clock advances it by 1 s: a 2.5 s budget allows two statements' windows.
    const ticking = () => (clock += 1000);
    const first = await prunePings(ctx.data.db, t0 - 30 * day, ticking, { budgetMs: 2500, window: 1 });
    assert.ok(first >= 1 && first < 4, `the first pass deleted part of the backlog (${first})`);
    await pruneOldPings(ctx.data.db, silentLogger(), () => t0, { retentionMs: 30 * day, everyMs: 60_000, budgetMs: 60_000, window: 1 });
    assert.deepEqual(await remaining(ctx, serviceId), [1]);
  });
});

it('TOCSIN_PING_RETENTION defaults to 30 days and refuses less than an hour', () => {
  assert.equal(readSettings({}).pingRetentionMs, 30 * day);
  assert.equal(readSettings({ TOCSIN_PING_RETENTION: '90d' }).pingRetentionMs, 90 * day);
  assert.throws(() => readSettings({ TOCSIN_PING_RETENTION: '10m' }), /TOCSIN_PING_RETENTION must be a duration from 1h to 3650d/);
});
