// Roll-ups of check results per service into minute, hour and day buckets, and the progress of
// the jobs that compute them (claimed through a lease so two instances never double-count).
import { id, notNull, type MigrationContext } from './column-types.js';

export async function up({ db }: MigrationContext): Promise<void> {
  await db.schema.createTable('result_rollups')
    .addColumn('service_id', id, notNull)
    .addColumn('resolution', 'varchar(8)', notNull)
    .addColumn('bucket_start', 'bigint', notNull)
    .addColumn('total_count', 'integer', notNull)
    .addColumn('up_count', 'integer', notNull)
    .addColumn('latency_count', 'integer', notNull)
    .addColumn('latency_sum', 'double precision', notNull)
    .addColumn('latency_max', 'double precision')
    .addColumn('histogram', 'varchar(255)', notNull)
    .addPrimaryKeyConstraint('result_rollups_pk', ['service_id', 'resolution', 'bucket_start'])
    .execute();
  await db.schema.createIndex('result_rollups_resolution_start').on('result_rollups').columns(['resolution', 'bucket_start']).execute();

  await db.schema.createTable('retention_jobs')
    .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('done_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', id)
    .addColumn('lease_expires_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto('retention_jobs')
    .values(['minute', 'hour', 'day', 'prune'].map((name) => ({ name, done_until: 0, lease_owner: null, lease_expires_at: 0 })))
    .execute();
}

export async function down({ db }: MigrationContext): Promise<void> {
  await db.schema.dropTable('retention_jobs').ifExists().execute();
  await db.schema.dropTable('result_rollups').ifExists().execute();
}
