import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allDialects, createTestStore, skipReason } from './test-support/databases.js';
import { migrateDown, migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';

for (const dialect of allDialects) {
  describe(`migrations [${dialect}]`, { skip: skipReason(dialect) }, () => {
    it('runs every migration up, down to nothing, and up again', async () => {
      const t = await createTestStore(dialect, { migrate: false });
      try {
        const ran = await migrateToLatest(t.store);
        assert.equal(ran.length, Object.keys(migrations).length);
        assert.deepEqual(await migrateToLatest(t.store), [], 'a second run applies nothing');
        for (let i = 0; i < Object.keys(migrations).length; i++) await migrateDown(t.store);
        const again = await migrateToLatest(t.store);
        assert.equal(again.length, Object.keys(migrations).length);
      } finally {
        await t.drop();
      }
    });
  });
}
