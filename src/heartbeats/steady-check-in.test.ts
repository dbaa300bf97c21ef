// The steady check-in write on its own: which items qualify, and PostgreSQL's per-statement
// synchronous_commit, which must end with the statement's transaction and never stay on the
// pooled connection (incidents and the outbox on that connection keep the server's setting).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { buildContext } from '../app/build-context.js';
import { systemActor } from '../auth/actor.js';
import { readSettings } from '../config/settings.js';
import { silentLogger } from '../logger.js';
import type { Store } from '../store/connect.js';
import { openStore } from '../store/connect.js';
import { parseDatabaseUrl } from '../store/database-url.js';
import { createTestStore, skipReason } from '../store/test-support/databases.js';
import type { CheckIn } from './check-in.js';
import { writeSteadyOnMysql } from './steady-check-in-mysql.js';
import { postgresSteadyWrite, steadyIndexes, steadyInput, writeSteadyOnPostgres } from './steady-check-in.js';

const item = (token: string, signal: CheckIn['signal'], latencyMs?: number): CheckIn =>
  ({ target: { by: 'token', token }, signal, at: 1, body: null, sourceIp: null, userAgent: null, latencyMs });

describe('steady check-ins', () => {
  it('takes, per token, the successes before its first other signal', () => {
    const items = [
      item('a', { kind: 'success' }), item('b', { kind: 'exit', exitStatus: 0 }), item('a', { kind: 'fail' }),
      item('a', { kind: 'success' }), item('b', { kind: 'exit', exitStatus: 3 }), item('c', { kind: 'start' }), item('c', { kind: 'success' }),
      { ...item('d', { kind: 'success' }), target: { by: 'token', token: 'd', orSlug: { pingKey: 'd', slug: 'x' } } },
    ] satisfies CheckIn[];
    assert.deepEqual(steadyIndexes(items), [0, 1]);
  });

  it('keeps the last latency reported for a service', () => {
    const input = steadyInput([item('a', { kind: 'success' }, 5), item('a', { kind: 'success' }), item('b', { kind: 'success', message: 'fine' })]);
    assert.deepEqual(input.rows.map((r) => [r.token, r.latency, r.detail]), [['a', 5, 'success signal'], ['b', null, 'fine']]);
    assert.equal(input.pings.length, 3);
  });
});

describe('steady check-ins on PostgreSQL', { skip: skipReason('postgres') }, () => {
  let db: Awaited<ReturnType<typeof createTestStore>>;
  let single: Store;
  before(async () => {
    db = await createTestStore('postgres');
    single = openStore(parseDatabaseUrl(db.url), { poolSize: 1 });
  });
  after(async () => {
    await single.close();
    await db.drop();
  });

  /** A heartbeat that is up, in a namespace of its own, and its ping token. */
  async function upHeartbeat(namespace: string) {
    const ctx = buildContext(readSettings({}), single, silentLogger());
    const actor = systemActor('test');
    const ns = await ctx.namespaces.create(actor, { slug: namespace, name: namespace });
    const project = await ctx.projects.create(actor, ns.id, { slug: 'p', name: 'p' });
    const service = await ctx.services.create(actor, project.id, { slug: 'hb', name: 'hb', type: 'heartbeat', config: { schedule: 'period', period: '1h' } });
    const token = randomUUID();
    await single.db.updateTable('services').set({ ping_token: token, state: 'up', last_ping_at: 1, next_deadline: 3_600_001 }).where('id', '=', service.id).execute();
    return { service, token };
  }

  it('commits asynchronously only its own transaction', async () => {
    const { service, token } = await upHeartbeat('steady');
    const setting = async () => (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(single.db)).rows[0].synchronous_commit;
    const before = await setting();
    assert.deepEqual(await writeSteadyOnPostgres(single.db, steadyInput([item(token, { kind: 'success' })]), true), [[token, service.id]]);
    // With one pooled connection, the next statement runs in the same session.
    assert.equal(await setting(), before);
    assert.deepEqual(await writeSteadyOnPostgres(single.db, steadyInput([item(randomUUID(), { kind: 'success' })]), false), [], 'an unknown token updates nothing');
    const pings = await single.db.selectFrom('heartbeat_ping_inbox').select('service_id').execute();
    assert.deepEqual(pings, [{ service_id: service.id }]);
  });

  it('stores bodies and headers exactly, whatever characters they hold', async () => {
    const { service, token } = await upHeartbeat('bodies');
    // What array literals and JSON treat specially: quotes, backslashes, braces, commas, the word
    // NULL, an empty string, new lines, and characters outside ASCII.
    const bodies = ['{"a": [1, 2]}', 'say "hi" \\ C:\\path', 'NULL', '', 'line 1\nline 2\t{x,y}', 'ünïcødé 🚀', null];
    const items = bodies.map((body, i): CheckIn => ({ ...item(token, { kind: 'success' }), at: 10 + i, body, userAgent: i === 0 ? 'curl/8, {beta}' : null, sourceIp: '::1' }));
    assert.deepEqual(await writeSteadyOnPostgres(single.postgresCheckInDb!, steadyInput(items), false), [[token, service.id]]);
    const stored = await single.db.selectFrom('heartbeat_ping_inbox').select(['body', 'user_agent', 'source_ip', 'at'])
      .where('service_id', '=', service.id).orderBy('id').execute();
    assert.deepEqual(stored.map((p) => p.body), bodies);
    assert.deepEqual(stored.map((p) => Number(p.at)), bodies.map((_, i) => 10 + i));
    assert.equal(stored[0].user_agent, 'curl/8, {beta}');
    assert.equal(stored[1].source_ip, '::1');
  });

  /** The plan the check-ins run: the generic plan of the statement prepared under a name, on one check-in connection. */
  async function steadyPlan(checkInDb: NonNullable<Store['postgresCheckInDb']>): Promise<string> {
    return checkInDb.connection().execute(async (connection) => {
      await sql.raw(`prepare steady_plan_test as ${postgresSteadyWrite}`).execute(connection);
      try {
        const plan = await sql.raw<{ 'QUERY PLAN': string }>(
          `explain (costs off) execute steady_plan_test(null, '{a}', '{1}', '{x}', '{NULL}', '{a}', '{1}', '{success}', '{NULL}', '{NULL}', '{NULL}', '{NULL}')`).execute(connection);
        return plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await sql.raw('deallocate steady_plan_test').execute(connection);
      }
    });
  }

  it('runs on sessions of its own whose one plan grows linearly with the batch, whatever the table size', async () => {
    const checkInDb = single.postgresCheckInDb;
    assert.ok(checkInDb);
    const show = async (name: string, on: typeof checkInDb) => (await sql<Record<string, string>>`show ${sql.raw(name)}`.execute(on)).rows[0][name];
    assert.equal(await show('enable_seqscan', checkInDb), 'off');
    assert.equal(await show('enable_mergejoin', checkInDb), 'off');
    assert.equal(await show('plan_cache_mode', checkInDb), 'force_generic_plan');
    assert.equal(await show('enable_seqscan', single.db), 'on', 'the other connections keep the planner as it is');

    // A handful of services, as in the first minutes after an install: reading them all once
    // per batch is as cheap as anything. No join may compare every row with every other (a
    // "Join Filter" in a nested loop): its cost grows with the square of the batch (400
    // check-ins: 160,000 comparisons, 51 of the statement's 73 ms).
    const { service } = await upHeartbeat('plan');
    await sql`analyze services`.execute(single.db);
    const small = await steadyPlan(checkInDb);
    assert.doesNotMatch(small, /Seq Scan|Join Filter/);

    // Several hundred services: each batch finds its services through the ping_token index and
    // reaches the rows by ctid, in id order (the lock order, see postgresSteadyWrite), and pings
    // meet their updated rows in a hash join.
    await sql`insert into services
      select (jsonb_populate_record(null::services, to_jsonb(s) || jsonb_build_object(
        'id', gen_random_uuid()::text, 'slug', 'hb-' || g, 'ping_token', gen_random_uuid()::text))).*
      from services s, generate_series(1, 500) g where s.id = ${service.id}`.execute(single.db);
    await sql`analyze services`.execute(single.db);
    const large = await steadyPlan(checkInDb);
    assert.doesNotMatch(large, /Seq Scan|Join Filter/);
    assert.match(large, /Index Scan using services_ping_token/);
    assert.match(large, /Tid Scan on services/);
    assert.match(large, /Hash Join/);
  });
});

describe('steady check-ins on MySQL/MariaDB', { skip: skipReason('mysql') }, () => {
  let db: Awaited<ReturnType<typeof createTestStore>>;
  before(async () => { db = await createTestStore('mysql'); });
  after(async () => { await db.drop(); });

  async function heartbeat(namespace: string, state: 'up' | 'late') {
    const ctx = buildContext(readSettings({}), db.store, silentLogger());
    const actor = systemActor('test');
    const ns = await ctx.namespaces.create(actor, { slug: namespace, name: namespace });
    const project = await ctx.projects.create(actor, ns.id, { slug: 'p', name: 'p' });
    const service = await ctx.services.create(actor, project.id, { slug: 'hb', name: 'hb', type: 'heartbeat', config: { schedule: 'period', period: '1h' } });
    const token = randomUUID();
    await db.store.db.updateTable('services').set({ ping_token: token, state, last_ping_at: 1, next_deadline: 3_600_001 }).where('id', '=', service.id).execute();
    return { service, token };
  }

  it('updates only services that are up, and stores bodies and headers exactly', async () => {
    const up = await heartbeat('mysql-up', 'up');
    const late = await heartbeat('mysql-late', 'late');
    const bodies = ['{"a": [1, 2]}', "say \"hi\" \\ C:\\path ' --", 'NULL', '', 'line 1\nline 2\t{x,y}', 'ünïcødé 🚀', null];
    const items = bodies.map((body, i): CheckIn => ({ ...item(up.token, { kind: 'success' }, i === 2 ? 7 : undefined), at: 10 + i, body, userAgent: i === 0 ? 'curl/8, {beta}' : null, sourceIp: '::1' }));
    const written = await writeSteadyOnMysql(db.store.db, steadyInput([...items, item(late.token, { kind: 'success' }), item(randomUUID(), { kind: 'success' })]));
    assert.deepEqual(written, [[up.token, up.service.id]], 'neither the late service nor an unknown token');
    const stored = await db.store.db.selectFrom('heartbeat_ping_inbox').select(['service_id', 'body', 'user_agent', 'source_ip', 'at']).orderBy('id').execute();
    assert.deepEqual(stored.map((p) => p.body), bodies);
    assert.ok(stored.every((p) => p.service_id === up.service.id));
    assert.deepEqual(stored.map((p) => Number(p.at)), bodies.map((_, i) => 10 + i));
    assert.equal(stored[0].user_agent, 'curl/8, {beta}');
    assert.equal(stored[1].source_ip, '::1');
    const row = await db.store.db.selectFrom('services').select(['last_ping_at', 'last_checked_at', 'last_latency_ms', 'next_deadline', 'state']).where('id', '=', up.service.id).executeTakeFirstOrThrow();
    assert.deepEqual([Number(row.last_ping_at), Number(row.last_checked_at), row.last_latency_ms === null ? null : Number(row.last_latency_ms), Number(row.next_deadline), row.state], [16, 16, 7, 3_600_001, 'up']);
    const untouched = await db.store.db.selectFrom('services').select(['last_ping_at', 'state']).where('id', '=', late.service.id).executeTakeFirstOrThrow();
    assert.deepEqual([Number(untouched.last_ping_at), untouched.state], [1, 'late']);
  });
});
