// The deadline sweeper's batch path on the three databases (more services than one batch, some
// late and some down, written back in one statement per batch), and its wake-up at a deadline.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { buildContext } from '../app/build-context.js';
import type { AppContext } from '../app/context.js';
import { systemActor } from '../auth/actor.js';
import { readSettings } from '../config/settings.js';
import { silentLogger } from '../logger.js';
import type { Store } from '../store/connect.js';
import { createTestStore, describeEachDatabase } from '../store/test-support/databases.js';
import { earliestDeadline } from './deadline-queries.js';
import { DeadlineSweeper } from './deadline-sweeper.js';
import { HeartbeatRepository } from './heartbeat-repository.js';

const t0 = Date.parse('2026-06-01T00:00:00Z');
const minute = 60_000;

/**
 * `count` heartbeats with one config that last checked in one period (a minute) before `deadline`:
 * one made through the catalog, the others copies of its row (cheap, so that this test does not
 * slow down the timing tests running beside it).
 */
async function heartbeatsDueAt(ctx: AppContext, deadline: number, config: Record<string, unknown>, count = 1): Promise<string[]> {
  const actor = systemActor('test');
  const ns = await ctx.namespaces.create(actor, { slug: `ns-${randomUUID().slice(0, 8)}`, name: 'ns' });
  const project = await ctx.projects.create(actor, ns.id, { slug: 'p', name: 'p' });
  const first = await ctx.services.create(actor, project.id, { slug: 'hb-0', name: 'hb 0', type: 'heartbeat', config });
  const row = await ctx.data.db.selectFrom('services').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
  const copies = Array.from({ length: count - 1 }, (_, i) => ({ ...row, id: randomUUID(), slug: `hb-${i + 1}`, name: `hb ${i + 1}` }));
  for (let i = 0; i < copies.length; i += 100) await ctx.data.db.insertInto('services').values(copies.slice(i, i + 100)).execute();
  const ids = [first.id, ...copies.map((c) => c.id)];
  await ctx.data.db.updateTable('services')
    .set({ state: 'up', state_changed_at: deadline - minute, last_ping_at: deadline - minute, next_deadline: deadline })
    .where('id', 'in', ids).execute();
  return ids;
}

function sweeperOver(store: Store, now: () => number, intervalMs?: number): { ctx: AppContext; sweeper: DeadlineSweeper } {
  const ctx = buildContext(readSettings({}), store, silentLogger(), now);
  return { ctx, sweeper: new DeadlineSweeper(ctx, new HeartbeatRepository(ctx.data.db, ctx.data.dialect), intervalMs) };
}

describeEachDatabase('deadline sweeper batches', (getStore) => {
  it('records every overdue service of several batches: late or down, rows, events and incidents', async () => {
    const { ctx, sweeper } = sweeperOver(getStore(), () => t0);
    const downs = await heartbeatsDueAt(ctx, t0, { schedule: 'period', period: '1m' }, 130);
    const lates = await heartbeatsDueAt(ctx, t0, { schedule: 'period', period: '1m', grace: '5m' }, 30);
    const running = downs.slice(0, 3);
    await ctx.data.db.updateTable('services').set({ run_started_at: t0 - 1000 }).where('id', 'in', running).execute();
    const notYet = await heartbeatsDueAt(ctx, t0 + 1, { schedule: 'period', period: '1m' });
    let batches = 0;
    let commits = 0;
    ctx.transitions.onChanges(async () => { batches += 1; });
    ctx.transitions.onCommitted(() => { commits += 1; });

    assert.equal(await sweeper.sweep(), 160);
    assert.equal(await sweeper.sweep(), 0, 'each change happens once');
    assert.ok(batches <= 3, `in batches, not one by one (${batches})`);
    assert.equal(commits, batches, 'each committed batch is announced (the dispatcher wakes up)');
    const rows = await ctx.data.db.selectFrom('services').select(['id', 'state', 'state_changed_at', 'next_deadline', 'run_started_at'])
      .where('id', 'in', [...downs, ...lates, ...notYet]).execute();
    const byId = new Map(rows.map((r) => [r.id, { ...r, state_changed_at: Number(r.state_changed_at), next_deadline: r.next_deadline === null ? null : Number(r.next_deadline) }]));
    for (const id of downs) assert.deepEqual(byId.get(id), { id, state: 'down', state_changed_at: t0, next_deadline: null, run_started_at: null });
    for (const id of lates) assert.deepEqual(byId.get(id), { id, state: 'late', state_changed_at: t0, next_deadline: t0 + 5 * minute, run_started_at: null });
    assert.deepEqual(byId.get(notYet[0]), { id: notYet[0], state: 'up', state_changed_at: t0 + 1 - minute, next_deadline: t0 + 1, run_started_at: null });
    const count = async (table: 'incidents' | 'service_events' | 'incident_updates') =>
      Number((await ctx.data.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const [incidents, updates] = [await count('incidents'), await count('incident_updates')];
    assert.ok(incidents >= 130 && updates === incidents, 'one incident and its first update per service down');
    for (const id of [downs[0], lates[0]]) {
      const [event] = await ctx.data.repos.events.listForService(id, { limit: 2 });
      assert.equal(event.fromState, 'up');
      assert.match(event.cause ?? '', /no check-in since 2026-05-31T23:59:00.000Z/);
      assert.equal(event.incidentId, (await ctx.data.repos.incidents.findOpenForService(id))?.id ?? null);
    }
    assert.equal(await earliestDeadline(ctx.data.db) !== null, true);
  });

  it('knows the earliest deadline to come', async () => {
    const { ctx } = sweeperOver(getStore(), () => t0);
    const before = await earliestDeadline(ctx.data.db);
    const early = (before ?? t0 + 10 * minute) - 7;
    await heartbeatsDueAt(ctx, early + 5, { schedule: 'period', period: '1m' });
    await heartbeatsDueAt(ctx, early, { schedule: 'period', period: '1m' });
    assert.equal(await earliestDeadline(ctx.data.db), early);
  });
});

describe('deadline sweeper wake-up', () => {
  it('sweeps at a deadline between two ticks, not at the next tick', async () => {
    const db = await createTestStore('sqlite');
    const { ctx, sweeper } = sweeperOver(db.store, Date.now, 5_000);
    try {
      const deadline = Date.now() + 1_000;
      const [id] = await heartbeatsDueAt(ctx, deadline, { schedule: 'period', period: '1m' });
      sweeper.start(); // sweeps at once (nothing due yet), then the next tick is 5 s away
      for (;;) {
        const row = await ctx.data.db.selectFrom('services').select('state').where('id', '=', id).executeTakeFirstOrThrow();
        if (row.state === 'down') break;
        assert.ok(Date.now() < deadline + 3_000, 'down long before the next tick');
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(Date.now() >= deadline);
    } finally {
      await sweeper.stop();
      await db.drop();
    }
  });
});
