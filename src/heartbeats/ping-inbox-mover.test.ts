// The ping inbox on the three databases: check-ins land in the inbox, the mover carries them into
// the history with their ids, readers see each ping once on either side, two movers at once
// move each ping once, and ids keep growing across moves and across the migration.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { sql } from 'kysely';
import { buildContext } from '../app/build-context.js';
import type { AppContext } from '../app/context.js';
import { systemActor } from '../auth/actor.js';
import { readSettings } from '../config/settings.js';
import { silentLogger } from '../logger.js';
import { openStore, type Store } from '../store/connect.js';
import { parseDatabaseUrl } from '../store/database-url.js';
import * as pingInboxMigration from '../store/migrations/203-ping-inbox.js';
import { createTestStore, describeEachDatabase } from '../store/test-support/databases.js';
import { BatchWriter } from './batch-writer.js';
import { HeartbeatRepository } from './heartbeat-repository.js';
import { moveInbox, moveInboxOnce } from './ping-inbox-mover.js';
import { TargetResolver } from './resolve-targets.js';

const t0 = Date.parse('2026-06-01T00:00:00Z');

describeEachDatabase('ping inbox', (getStore, dialect) => {
  async function services(count: number, store: Store = getStore()): Promise<{ ctx: AppContext; ids: string[] }> {
    const ctx = buildContext(readSettings({}), store, silentLogger(), () => t0);
    const actor = systemActor('test');
    const ns = await ctx.namespaces.create(actor, { slug: `ns-${randomUUID().slice(0, 8)}`, name: 'ns' });
    const project = await ctx.projects.create(actor, ns.id, { slug: 'p', name: 'p' });
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push((await ctx.services.create(actor, project.id, { slug: `hb-${i}`, name: `hb ${i}`, type: 'heartbeat', config: { schedule: 'period', period: '1d' } })).id);
    }
    // Only this test's pings.
    await ctx.data.db.deleteFrom('heartbeat_ping_inbox').execute();
    await ctx.data.db.deleteFrom('heartbeat_pings').execute();
    return { ctx, ids };
  }

  /** Inserts pings into the inbox one at a time, as check-ins arrive; `at` = t0 + index. */
  async function arrive(ctx: AppContext, serviceIds: string[]): Promise<void> {
    for (const [i, serviceId] of serviceIds.entries()) {
      await ctx.data.db.insertInto('heartbeat_ping_inbox').values({
        service_id: serviceId, at: t0 + i, kind: 'success', exit_status: null, duration_ms: null, body: `#${i}`, source_ip: null, user_agent: null,
      }).execute();
    }
  }

  const rows = async (ctx: AppContext, table: 'heartbeat_ping_inbox' | 'heartbeat_pings') =>
    (await ctx.data.db.selectFrom(table).select(['id', 'service_id', 'body']).orderBy('id').execute()).map((r) => ({ ...r, id: Number(r.id) }));

  it('moves every ping with its id and columns, and readers see the same before and after', async () => {
    const { ctx, ids: [a, b] } = await services(2);
    const repo = new HeartbeatRepository(ctx.data.db, ctx.data.dialect);
    await arrive(ctx, [a, b, a, a, b]);
    const inbox = await rows(ctx, 'heartbeat_ping_inbox');
    const recentBefore = await repo.recentPings(a, 10);
    assert.deepEqual(recentBefore.map((p) => p.body), ['#3', '#2', '#0'], 'newest first');
    assert.equal(await moveInbox(ctx.data.db, ctx.data.dialect, 1000), 5);
    assert.deepEqual(await rows(ctx, 'heartbeat_ping_inbox'), []);
    assert.deepEqual(await rows(ctx, 'heartbeat_pings'), inbox);
    assert.deepEqual(await repo.recentPings(a, 10), recentBefore);
    assert.deepEqual([await repo.countPings(a), await repo.countPings(b), await repo.countPings()], [3, 2, 5]);
  });

  it('reads the inbox and the history together, newest first, within the limit', async () => {
    const { ctx, ids: [a] } = await services(1);
    const repo = new HeartbeatRepository(ctx.data.db, ctx.data.dialect);
    await arrive(ctx, [a, a, a]);
    await moveInbox(ctx.data.db, ctx.data.dialect, 1000);
    await ctx.data.db.insertInto('heartbeat_ping_inbox').values({
      service_id: a, at: t0 + 10, kind: 'fail', exit_status: null, duration_ms: null, body: 'new', source_ip: null, user_agent: null,
    }).execute();
    assert.deepEqual((await repo.recentPings(a, 2)).map((p) => p.body), ['new', '#2']);
    assert.equal(await repo.countPings(a), 4);
  });

  it('moves at most maxRows per transaction, and all of them in passes', async () => {
    const { ctx, ids: [a] } = await services(1);
    await arrive(ctx, [a, a, a, a, a]);
    assert.equal(await moveInboxOnce(ctx.data.db, ctx.data.dialect, 2), 2);
    assert.equal((await rows(ctx, 'heartbeat_pings')).length, 2);
    assert.equal(await moveInbox(ctx.data.db, ctx.data.dialect, 2), 3);
    assert.equal((await rows(ctx, 'heartbeat_ping_inbox')).length, 0);
    assert.equal(await moveInboxOnce(ctx.data.db, ctx.data.dialect, 2), 0, 'an empty inbox moves nothing');
  });

  it('gives later pings larger ids than the moved ones, also once the inbox was emptied', async () => {
    const { ctx, ids: [a] } = await services(1);
    await arrive(ctx, [a, a]);
    await moveInbox(ctx.data.db, ctx.data.dialect, 1000);
    await arrive(ctx, [a]);
    const moved = await rows(ctx, 'heartbeat_pings');
    const [next] = await rows(ctx, 'heartbeat_ping_inbox');
    assert.ok(next.id > Math.max(...moved.map((r) => r.id)), `${next.id} after ${moved.map((r) => r.id)}`);
    await moveInbox(ctx.data.db, ctx.data.dialect, 1000);
    assert.equal((await rows(ctx, 'heartbeat_pings')).length, 3);
  });

  it('deletes a service\'s pings in the inbox and the history with the service', async () => {
    const { ctx, ids: [a, b] } = await services(2);
    const repo = new HeartbeatRepository(ctx.data.db, ctx.data.dialect);
    await arrive(ctx, [a, b, a]);
    await moveInboxOnce(ctx.data.db, ctx.data.dialect, 1);
    await ctx.data.db.deleteFrom('services').where('id', '=', a).execute();
    assert.deepEqual([await repo.countPings(a), await repo.countPings(b)], [0, 1]);
    assert.deepEqual((await rows(ctx, 'heartbeat_pings')).concat(await rows(ctx, 'heartbeat_ping_inbox')).map((r) => r.service_id), [b]);
  });

  // Not on SQLite: two connections in one thread cannot share its file (the second BEGIN
  // IMMEDIATE blocks the thread the first needs); between processes, BEGIN IMMEDIATE makes them
  // take turns.
  if (dialect !== 'sqlite') it('moves each ping exactly once when two instances move at the same time', async () => {
    const database = await createTestStore(dialect);
    const other = openStore(parseDatabaseUrl(database.url));
    const { ctx, ids } = await services(10, database.store);
    await arrive(ctx, Array.from({ length: 600 }, (_, i) => ids[i % ids.length]));
    const expected = await rows(ctx, 'heartbeat_ping_inbox');
    try {
      const [one, two] = await Promise.all([
        moveInbox(ctx.data.db, ctx.data.dialect, 50),
        moveInbox(other.db, ctx.data.dialect, 50),
      ]);
      assert.equal(one + two, 600);
      assert.deepEqual(await rows(ctx, 'heartbeat_pings'), expected);
      assert.deepEqual(await rows(ctx, 'heartbeat_ping_inbox'), []);
    } finally {
      await other.close();
      await database.drop();
    }
  });

  // A deleted row keeps its space in PostgreSQL's heap until VACUUM, and the mover scans the inbox
  // from its start: the mover reclaims the space of what it moved (ping-inbox-mover.ts).
  if (dialect === 'postgres') it('reuses the inbox\'s space after each move instead of growing it (PostgreSQL)', async () => {
    const { ctx, ids: [a] } = await services(1);
    const inboxBytes = async () => Number((await sql<{ bytes: string }>`select pg_relation_size('heartbeat_ping_inbox') as bytes`.execute(ctx.data.db)).rows[0].bytes);
    const fillAndMove = async () => {
      await sql`insert into heartbeat_ping_inbox (service_id, at, kind, body)
        select ${a}, ${t0}::bigint + i, 'success', repeat('x', 100) from generate_series(1, 2000) as i`.execute(ctx.data.db);
      assert.equal(await moveInbox(ctx.data.db, ctx.data.dialect, 5000), 2000);
    };
    await fillAndMove();
    const afterOneMove = await inboxBytes();
    for (let cycle = 0; cycle < 5; cycle++) await fillAndMove();
    const afterSix = await inboxBytes();
    assert.ok(afterSix <= afterOneMove, `the inbox grew from ${afterOneMove} to ${afterSix} bytes over five more moves of 2,000 pings`);
    assert.equal(await new HeartbeatRepository(ctx.data.db, ctx.data.dialect).countPings(a), 12_000);
  });

  it('loses nothing and never deadlocks while check-ins arrive during moves', async () => {
    const { ctx, ids } = await services(20);
    const repo = new HeartbeatRepository(ctx.data.db, ctx.data.dialect);
    const tokens: string[] = [];
    for (const id of ids) {
      const token = randomUUID();
      await repo.setPingToken(id, token);
      tokens.push(token);
    }
    const writer = new BatchWriter(ctx, repo, new TargetResolver(repo, async () => { throw new Error('not in this test'); }));
    let writing = true;
    let moved = 0;
    const mover = (async () => {
      while (writing) {
        moved += await moveInbox(ctx.data.db, ctx.data.dialect, 25);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    for (let wave = 0; wave < 20; wave++) {
      const results = await Promise.all(tokens.flatMap((token, i) => [0, 1, 2].map((k) => writer.submit({
        target: { by: 'token', token }, signal: { kind: 'success' }, at: t0 + wave * 10 + k, body: `${wave}/${i}/${k}`, sourceIp: null, userAgent: null,
      }))));
      assert.ok(results.every((r) => r.ok));
    }
    writing = false;
    await mover;
    moved += await moveInbox(ctx.data.db, ctx.data.dialect, 1000);
    const stored = await rows(ctx, 'heartbeat_pings');
    assert.equal(stored.length, 20 * 20 * 3);
    assert.equal(new Set(stored.map((r) => r.body)).size, 20 * 20 * 3, 'each check-in once');
    assert.equal(moved, 20 * 20 * 3);
  });

  it('starts the inbox\'s ids after the pings already stored (migration 203)', async () => {
    const { ctx, ids: [a] } = await services(1);
    const { db, dialect } = ctx.data;
    // As the sequence or counter gives ids: PostgreSQL's is shared, SQLite's and MySQL's follow the largest id.
    if (dialect === 'postgres') await sql`select setval('heartbeat_pings_id_seq', 4999)`.execute(db);
    await db.insertInto('heartbeat_pings').values({
      ...(dialect === 'postgres' ? {} : { id: 5000 }), service_id: a, at: t0, kind: 'success', exit_status: null, duration_ms: null, body: 'old', source_ip: null, user_agent: null,
    }).execute();
    await pingInboxMigration.down({ db, dialect });
    await pingInboxMigration.up({ db, dialect });
    await arrive(ctx, [a]);
    const [next] = await rows(ctx, 'heartbeat_ping_inbox');
    assert.ok(next.id > 5000, `the first new id is ${next.id}`);
    await moveInbox(db, dialect, 1000);
    assert.deepEqual((await rows(ctx, 'heartbeat_pings')).map((r) => r.body), ['old', '#0']);
  });
});
