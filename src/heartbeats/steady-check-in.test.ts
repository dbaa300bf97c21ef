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
import { steadyIndexes, steadyInput, writeSteadyOnPostgres } from './steady-check-in.js';

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

  it('commits asynchronously only its own transaction', async () => {
    const ctx = buildContext(readSettings({}), single, silentLogger());
    const actor = systemActor('test');
    const ns = await ctx.namespaces.create(actor, { slug: 'steady', name: 'steady' });
    const project = await ctx.projects.create(actor, ns.id, { slug: 'p', name: 'p' });
    const service = await ctx.services.create(actor, project.id, { slug: 'hb', name: 'hb', type: 'heartbeat', config: { schedule: 'period', period: '1h' } });
    const token = randomUUID();
    await single.db.updateTable('services').set({ ping_token: token, state: 'up', last_ping_at: 1, next_deadline: 3_600_001 }).where('id', '=', service.id).execute();
    const setting = async () => (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(single.db)).rows[0].synchronous_commit;
    const before = await setting();
    assert.deepEqual(await writeSteadyOnPostgres(single.db, steadyInput([item(token, { kind: 'success' })]), true), [[token, service.id]]);
    // With one pooled connection, the next statement runs in the same session.
    assert.equal(await setting(), before);
    assert.deepEqual(await writeSteadyOnPostgres(single.db, steadyInput([item(randomUUID(), { kind: 'success' })]), false), [], 'an unknown token updates nothing');
    const pings = await single.db.selectFrom('heartbeat_pings').select('service_id').execute();
    assert.deepEqual(pings, [{ service_id: service.id }]);
  });
});
