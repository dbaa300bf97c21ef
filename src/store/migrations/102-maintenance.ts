// Maintenance windows: one-off (starts_at..ends_at) or recurring (cron + duration + time zone),
// scoped to a namespace, a project or a service.
import { id, key, longText, notNull, type MigrationContext } from './column-types.js';

export async function up({ db, dialect }: MigrationContext): Promise<void> {
  await db.schema.createTable('maintenance_windows')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('namespace_id', id, (c) => c.notNull().references('namespaces.id').onDelete('cascade'))
    .addColumn('scope', 'varchar(16)', notNull)
    .addColumn('scope_id', id, notNull)
    .addColumn('title', key, notNull)
    .addColumn('description', longText(dialect))
    .addColumn('starts_at', 'bigint')
    .addColumn('ends_at', 'bigint')
    .addColumn('cron', 'varchar(128)')
    .addColumn('duration_ms', 'bigint')
    .addColumn('time_zone', 'varchar(64)')
    .addColumn('managed_by', key)
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .execute();
  await db.schema.createIndex('maintenance_windows_namespace').on('maintenance_windows').column('namespace_id').execute();
}

export async function down({ db }: MigrationContext): Promise<void> {
  await db.schema.dropTable('maintenance_windows').ifExists().execute();
}
