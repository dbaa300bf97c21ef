// Heartbeats: check-in credentials and deadline columns on services, the check-ins themselves,
// and per-project ping keys for the slug URL form.
import { withAutoId, key, id, longText, notNull, type MigrationContext } from './column-types.js';

export async function up({ db, dialect }: MigrationContext): Promise<void> {
  await db.schema.alterTable('services').addColumn('ping_token', key).execute();
  await db.schema.alterTable('services').addColumn('api_key_hash', 'varchar(64)').execute();
  await db.schema.alterTable('services').addColumn('legacy_id', key).execute();
  await db.schema.alterTable('services').addColumn('next_deadline', 'bigint').execute();
  await db.schema.alterTable('services').addColumn('last_ping_at', 'bigint').execute();
  await db.schema.alterTable('services').addColumn('run_started_at', 'bigint').execute();
  await db.schema.createIndex('services_ping_token').on('services').column('ping_token').unique().execute();
  await db.schema.createIndex('services_legacy_id').on('services').column('legacy_id').execute();
  await db.schema.createIndex('services_next_deadline').on('services').column('next_deadline').execute();

  await withAutoId(db.schema.createTable('heartbeat_pings'), dialect)
    .addColumn('service_id', id, (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('at', 'bigint', notNull)
    .addColumn('kind', 'varchar(16)', notNull)
    .addColumn('exit_status', 'integer')
    .addColumn('duration_ms', 'bigint')
    .addColumn('body', longText(dialect))
    .addColumn('source_ip', 'varchar(64)')
    .addColumn('user_agent', key)
    .execute();
  await db.schema.createIndex('heartbeat_pings_service_at').on('heartbeat_pings').columns(['service_id', 'at']).execute();

  await db.schema.createTable('heartbeat_ping_keys')
    .addColumn('project_id', id, (c) => c.primaryKey().references('projects.id').onDelete('cascade'))
    .addColumn('ping_key', key, (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', notNull)
    .execute();
}

export async function down({ db, dialect }: MigrationContext): Promise<void> {
  await db.schema.dropTable('heartbeat_ping_keys').execute();
  await db.schema.dropTable('heartbeat_pings').execute();
  // Only MySQL names the table in DROP INDEX.
  for (const index of ['services_next_deadline', 'services_legacy_id', 'services_ping_token']) {
    const drop = db.schema.dropIndex(index);
    await (dialect === 'mysql' ? drop.on('services') : drop).execute();
  }
  for (const column of ['run_started_at', 'last_ping_at', 'next_deadline', 'legacy_id', 'api_key_hash', 'ping_token']) {
    await db.schema.alterTable('services').dropColumn(column).execute();
  }
}
