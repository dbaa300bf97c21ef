// The batch writer and the deadline sweeper on the three databases, with an injected clock; and
// exactly-once state changes with two instances sweeping one PostgreSQL/MySQL database.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildContext } from '../app/build-context.js';
import type { AppContext } from '../app/context.js';
import { systemActor } from '../auth/actor.js';
import { readSettings } from '../config/settings.js';
import { silentLogger } from '../logger.js';
import { openStore, type Store } from '../store/connect.js';
import { parseDatabaseUrl, type DialectName } from '../store/database-url.js';
import { createTestStore, describeEachDatabase, skipReason } from '../store/test-support/databases.js';
import { BatchWriter } from './batch-writer.js';
import type { CheckIn } from './check-in.js';
import { DeadlineSweeper } from './deadline-sweeper.js';
import { HeartbeatRepository } from './heartbeat-repository.js';
import { TargetResolver } from './resolve-targets.js';

const t0 = Date.parse('2026-06-01T00:00:00Z');

function contextOver(store: Store, clock: { now: number }): AppContext {
  return buildContext(readSettings({}), store, silentLogger(), () => clock.now);
}

async function makeHeartbeats(ctx: AppContext, count: number, config: Record<string, unknown>): Promise<{ id: string; token: string }[]> {
  const actor = systemActor('test');
  const suffix = randomUUID().slice(0, 8);
  const ns = await ctx.namespaces.create(actor, { slug: `ns-${suffix}`, name: 'ns' });
  const project = await ctx.projects.create(actor, ns.id, { slug: 'p', name: 'p' });
  const repo = new HeartbeatRepository(ctx.data.db, ctx.data.dialect);
  const out = [];
  for (let i = 0; i < count; i++) {
    const service = await ctx.services.create(actor, project.id, { slug: `hb-${i}`, name: `hb ${i}`, type: 'heartbeat', config });
    const token = randomUUID();
    await repo.setPingToken(service.id, token);
    out.push({ id: service.id, token });
  }
  return out;
}

function writerFor(ctx: AppContext): BatchWriter {
  const repo = new HeartbeatRepository(ctx.data.db, ctx.data.dialect);
  return new BatchWriter(ctx, repo, new TargetResolver(repo, async () => { throw new Error('not in this test'); }));
}

const ping = (token: string, at: number, signal: CheckIn['signal'] = { kind: 'success' }): CheckIn =>
  ({ target: { by: 'token', token }, signal, at, body: null, sourceIp: '127.0.0.1', userAgent: 'test' });

describeEachDatabase('heartbeat writer and sweeper', (getStore) => {
  const clock = { now: t0 };

  it('applies several signals for one service in one batch, in order, with one commit', async () => {
    const ctx = contextOver(getStore(), clock);
    const [hb] = await makeHeartbeats(ctx, 1, { schedule: 'period', period: '1h', grace: '5m' });
    const writer = writerFor(ctx);
    let commits = 0;
    ctx.transitions.onCommitted(() => { commits += 1; });
    const results = await Promise.all([
      writer.submit(ping(hb.token, t0)),
      writer.submit(ping(hb.token, t0 + 1, { kind: 'start' })),
      writer.submit(ping(hb.token, t0 + 11, { kind: 'exit', exitStatus: 2 })),
      writer.submit(ping('no-such-token', t0 + 12)),
    ]);
    assert.deepEqual(results.slice(0, 3).map((r) => r.ok), [true, true, true]);
    assert.deepEqual(results[3], { ok: false, status: 404, message: 'no heartbeat has this check-in token' });
    const events = await ctx.data.repos.events.listForService(hb.id, { limit: 10 });
    assert.deepEqual(events.map((e) => e.toState).reverse(), ['up', 'down']);
    assert.equal(commits, 1, 'one batch with changes of state wakes the dispatcher once');
    const pings = await new HeartbeatRepository(ctx.data.db, ctx.data.dialect).recentPings(hb.id, 10);
    assert.deepEqual(pings.map((p) => p.kind), ['exit', 'start', 'success']);
    assert.equal(pings[0].durationMs, 10);
    const service = await ctx.data.repos.services.findById(hb.id);
    assert.equal(service?.state, 'down');
    await writer.close();
  });

  it('keeps the order when a batch mixes steady check-ins with a change of state', async () => {
    const ctx = contextOver(getStore(), clock);
    const [a, b] = await makeHeartbeats(ctx, 2, { schedule: 'period', period: '7d' }); // never due in the tests below
    const writer = writerFor(ctx);
    await Promise.all([writer.submit(ping(a.token, t0)), writer.submit(ping(b.token, t0))]);
    // The steady ones are written first; the failure of `a`
    // and everything after it for `a` go through the main path.
    const results = await Promise.all([
      writer.submit(ping(a.token, t0 + 10)),
      writer.submit(ping(b.token, t0 + 10)),
      writer.submit(ping(a.token, t0 + 20, { kind: 'fail' })),
      writer.submit(ping(b.token, t0 + 20)),
      writer.submit(ping(a.token, t0 + 30)),
    ]);
    assert.ok(results.every((r) => r.ok));
    const events = await ctx.data.repos.events.listForService(a.id, { limit: 10 });
    assert.deepEqual(events.map((e) => e.toState).reverse(), ['up', 'down', 'up']);
    const repo = new HeartbeatRepository(ctx.data.db, ctx.data.dialect);
    assert.deepEqual((await repo.recentPings(a.id, 10)).map((p) => [p.kind, p.at - t0]), [['success', 30], ['fail', 20], ['success', 10], ['success', 0]]);
    assert.equal((await repo.recentPings(b.id, 10)).length, 3);
    const [serviceA, serviceB] = await Promise.all([ctx.data.repos.services.findById(a.id), ctx.data.repos.services.findById(b.id)]);
    assert.equal(serviceA?.state, 'up');
    assert.equal(serviceB?.state, 'up');
    assert.equal(serviceB?.lastCheckedAt, t0 + 20);
    await writer.close();
  });

  it('leaves next_deadline alone on steady check-ins; the sweeper then finds the real deadline', async () => {
    const ctx = contextOver(getStore(), clock);
    const [hb] = await makeHeartbeats(ctx, 1, { schedule: 'period', period: '1h', grace: '5m' });
    const writer = writerFor(ctx);
    const deadlineOf = async () => Number((await ctx.data.db.selectFrom('services').select('next_deadline').where('id', '=', hb.id).executeTakeFirstOrThrow()).next_deadline);
    await writer.submit(ping(hb.token, t0)); // unknown → up: the main path stores the exact deadline
    assert.equal(await deadlineOf(), t0 + 3_600_000);
    await writer.submit(ping(hb.token, t0 + 600_000, { kind: 'exit', exitStatus: 0 }));
    await writer.submit({ ...ping(hb.token, t0 + 1_200_000), latencyMs: 42 });
    assert.equal(await deadlineOf(), t0 + 3_600_000, 'a steady check-in never moves the deadline');
    const row = await ctx.data.repos.services.findById(hb.id);
    assert.equal(row?.lastCheckedAt, t0 + 1_200_000);
    assert.equal(row?.lastLatencyMs, 42);
    assert.equal(row?.lastDetail, 'success signal');
    const sweeper = new DeadlineSweeper(ctx, new HeartbeatRepository(ctx.data.db, ctx.data.dialect));
    clock.now = t0 + 3_600_000;
    assert.equal(await sweeper.sweep(), 0, 'not late: it checked in since');
    assert.equal(await deadlineOf(), t0 + 1_200_000 + 3_600_000);
    clock.now = t0 + 1_200_000 + 3_600_000;
    assert.equal(await sweeper.sweep(), 1);
    assert.equal((await ctx.data.repos.services.findById(hb.id))?.state, 'late');
    // Late is not steady: the next check-in takes the main path and brings it back up.
    await writer.submit(ping(hb.token, clock.now + 1));
    assert.equal((await ctx.data.repos.services.findById(hb.id))?.state, 'up');
    assert.equal(await deadlineOf(), clock.now + 1 + 3_600_000);
    const pings = await new HeartbeatRepository(ctx.data.db, ctx.data.dialect).recentPings(hb.id, 10);
    assert.deepEqual(pings.map((p) => [p.kind, p.exitStatus]), [['success', null], ['success', null], ['exit', 0], ['success', null]]);
    clock.now = t0;
    await writer.close();
  });

  it('deletes the pings of a deleted service, and of the services a deleted namespace held', async () => {
    // On PostgreSQL a trigger does it (migration 202), elsewhere the foreign key's cascade.
    const ctx = contextOver(getStore(), clock);
    const [a, b] = await makeHeartbeats(ctx, 2, { schedule: 'period', period: '1h' });
    const [other] = await makeHeartbeats(ctx, 1, { schedule: 'period', period: '1h' });
    const writer = writerFor(ctx);
    for (const at of [t0, t0 + 1, t0 + 2]) await Promise.all([a, b, other].map((hb) => writer.submit(ping(hb.token, at))));
    await writer.close();
    const repo = new HeartbeatRepository(ctx.data.db, ctx.data.dialect);
    const actor = systemActor('test');
    await ctx.services.delete(actor, a.id);
    assert.deepEqual([await repo.countPings(a.id), await repo.countPings(b.id), await repo.countPings(other.id)], [0, 3, 3]);
    const namespaceOfB = (await ctx.data.repos.services.findById(b.id))!.namespaceId;
    await ctx.namespaces.delete(actor, namespaceOfB);
    assert.deepEqual([await repo.countPings(b.id), await repo.countPings(other.id)], [0, 3]);
    await ctx.services.delete(actor, other.id); // the later tests sweep this database
  });

  it('sweeps up → late → down on time and opens one incident', async () => {
    const ctx = contextOver(getStore(), clock);
    const [hb] = await makeHeartbeats(ctx, 1, { schedule: 'period', period: '1h', grace: '5m' });
    const writer = writerFor(ctx);
    await writer.submit(ping(hb.token, t0));
    const sweeper = new DeadlineSweeper(ctx, new HeartbeatRepository(ctx.data.db, ctx.data.dialect));
    clock.now = t0 + 3_600_000 - 1;
    assert.equal(await sweeper.sweep(), 0);
    clock.now = t0 + 3_600_000;
    assert.equal(await sweeper.sweep(), 1);
    assert.equal((await ctx.data.repos.services.findById(hb.id))?.state, 'late');
    clock.now = t0 + 3_900_000;
    assert.equal(await sweeper.sweep(), 1);
    assert.equal(await sweeper.sweep(), 0);
    const service = await ctx.data.repos.services.findById(hb.id);
    assert.equal(service?.state, 'down');
    const incident = await ctx.data.repos.incidents.findOpenForService(hb.id);
    assert.match(incident?.cause ?? '', /no check-in since 2026-06-01T00:00:00.000Z/);
    clock.now = t0;
    await writer.close();
  });
});

for (const dialect of ['postgres', 'mysql'] as DialectName[]) {
  describe(`two instances sweeping one database [${dialect}]`, { skip: skipReason(dialect) }, () => {
    let db: Awaited<ReturnType<typeof createTestStore>>;
    let second: Store;
    before(async () => {
      db = await createTestStore(dialect);
      second = openStore(parseDatabaseUrl(db.url));
    });
    after(async () => {
      await second.close();
      await db.drop();
    });

    it('loses no check-in and never deadlocks when two instances write the same services', async () => {
      const clock = { now: t0 };
      const a = contextOver(db.store, clock);
      const b = contextOver(second, clock);
      const heartbeats = await makeHeartbeats(a, 40, { schedule: 'period', period: '1h' });
      const writers = [writerFor(a), writerFor(b)];
      await Promise.all(heartbeats.map((hb) => writers[0].submit(ping(hb.token, t0))));
      const deadlocks = async () => dialect === 'postgres'
        ? Number((await sql<{ n: string }>`select deadlocks as n from pg_stat_database where datname = current_database()`.execute(a.data.db)).rows[0].n)
        : 0;
      const before = await deadlocks();
      // Each instance checks every service in 10 times, in its own shuffled order, all at once:
      // their batches keep meeting on the same rows (the steady statement then skips a row changed
      // under it, and that check-in takes the main path).
      const rounds = writers.map((writer, w) => {
        const items = Array.from({ length: 10 }, (_, round) => heartbeats.map((hb, i) => ping(hb.token, t0 + 1 + round * 100 + i * 2 + w)))
          .flat().sort(() => Math.random() - 0.5);
        return Promise.all(items.map((item) => writer.submit(item)));
      });
      const results = (await Promise.all(rounds)).flat();
      await Promise.all(writers.map((w) => w.close()));
      assert.equal(results.filter((r) => r.ok).length, 800);
      const repo = new HeartbeatRepository(a.data.db, a.data.dialect);
      assert.equal(await repo.countPings(), 40 + 800);
      for (const hb of heartbeats) assert.equal((await a.data.repos.services.findById(hb.id))?.state, 'up');
      // pg_stat_database is updated when a backend reports; wait for it before reading.
      if (dialect === 'postgres') await new Promise((r) => setTimeout(r, 1100));
      assert.equal(await deadlocks(), before);
      await a.data.db.deleteFrom('services').where('id', 'in', heartbeats.map((hb) => hb.id)).execute();
    });

    it('marks each overdue service down exactly once', async () => {
      const clock = { now: t0 };
      const a = contextOver(db.store, clock);
      const b = contextOver(second, clock);
      const heartbeats = await makeHeartbeats(a, 150, { schedule: 'period', period: '1m' });
      const writer = writerFor(a);
      await Promise.all(heartbeats.map((hb) => writer.submit(ping(hb.token, t0))));
      await writer.close();
      // Listeners run inside the sweep's transaction; one rolled back by a deadlock and run again
      // calls them again, so they are counted per service.
      const changed = new Set<string>();
      for (const ctx of [a, b]) ctx.transitions.onChange(async (change) => { changed.add(change.service.id); });
      clock.now = t0 + 60_000;
      const sweepers = [a, b].map((ctx) => new DeadlineSweeper(ctx, new HeartbeatRepository(ctx.data.db, ctx.data.dialect)));
      const counts = await Promise.all([...sweepers, ...sweepers].map((s) => s.sweep()));
      assert.equal(counts.reduce((x, y) => x + y, 0), 150, `per sweep: ${counts.join(', ')}`);
      assert.equal(changed.size, 150);
      const downEvents = await a.data.db.selectFrom('service_events').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('to_state', '=', 'down').executeTakeFirstOrThrow();
      assert.equal(Number(downEvents.n), 150);
      const incidents = await a.data.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(incidents.n), 150);
    });
  });
}
