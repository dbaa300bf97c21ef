// Public status pages: one row per page. Groups are stored as JSON (an ordered list of
// { name, projectId } or { name, serviceIds }) because they are always read and written whole
// with their page.
import { key, id, longText, notNull, type MigrationContext } from './column-types.js';

export async function up({ db, dialect }: MigrationContext): Promise<void> {
  await db.schema.createTable('status_pages')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('namespace_id', id, (c) => c.notNull().references('namespaces.id').onDelete('cascade'))
    .addColumn('slug', key, (c) => c.notNull().unique())
    .addColumn('title', key, notNull)
    .addColumn('logo_url', 'varchar(2048)')
    .addColumn('description', longText(dialect))
    .addColumn('timezone', 'varchar(64)', notNull)
    // NULLs do not collide in a unique index on any of the three databases.
    .addColumn('custom_domain', key, (c) => c.unique())
    .addColumn('is_front_page', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('item_groups', longText(dialect), notNull)
    .addColumn('managed_by', key)
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .execute();
  await db.schema.createIndex('status_pages_namespace').on('status_pages').column('namespace_id').execute();
}

export async function down({ db }: MigrationContext): Promise<void> {
  await db.schema.dropTable('status_pages').ifExists().execute();
}
