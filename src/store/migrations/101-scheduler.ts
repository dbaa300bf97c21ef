// Scheduler coordination between instances sharing one database: shard leases and instance
// presence (so a newcomer is counted when shares are computed, before it holds anything).
import { id, notNull, type MigrationContext } from './column-types.js';

export const shardCount = 64;

export async function up({ db }: MigrationContext): Promise<void> {
  await db.schema.createTable('scheduler_leases')
    .addColumn('shard', 'integer', (c) => c.primaryKey())
    .addColumn('owner', id)
    .addColumn('expires_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  // Every shard has its row from the start: claiming is then always a conditional UPDATE.
  await db.insertInto('scheduler_leases')
    .values(Array.from({ length: shardCount }, (_, shard) => ({ shard, owner: null, expires_at: 0 })))
    .execute();

  await db.schema.createTable('scheduler_instances')
    .addColumn('instance_id', id, (c) => c.primaryKey())
    .addColumn('seen_at', 'bigint', notNull)
    .execute();
}

export async function down({ db }: MigrationContext): Promise<void> {
  await db.schema.dropTable('scheduler_instances').ifExists().execute();
  await db.schema.dropTable('scheduler_leases').ifExists().execute();
}
