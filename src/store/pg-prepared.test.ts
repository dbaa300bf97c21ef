import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery } from 'kysely';
import { prepareByName } from './pg-prepared.js';
import { createTestStore, skipReason } from './test-support/databases.js';

describe('named prepared statements on PostgreSQL', { skip: skipReason('postgres') }, () => {
  let db: Awaited<ReturnType<typeof createTestStore>>;
  before(async () => { db = await createTestStore('postgres', { migrate: false }); });
  after(async () => { await db?.drop(); });

  it('prepares registered texts once per connection and leaves the others alone', async () => {
    const registered = 'select $1::int + 1 as n';
    const other = 'select $1::int + 2 as n';
    prepareByName(registered);
    const names = await db.store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 3; i++) {
        const { rows } = await trx.executeQuery<{ n: number }>(CompiledQuery.raw(registered, [i]));
        assert.equal(rows[0].n, i + 1);
      }
      await trx.executeQuery(CompiledQuery.raw(other, [1]));
      const { rows } = await trx.executeQuery<{ statement: string }>(CompiledQuery.raw('select statement from pg_prepared_statements', []));
      return rows.map((r) => r.statement);
    });
    assert.deepEqual(names, [registered]);
  });
});
