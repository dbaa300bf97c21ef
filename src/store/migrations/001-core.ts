// Namespaces, projects, services, tags, incidents, results and state-change events.
import { withAutoId, key, id, longText, notNull, type MigrationContext } from './column-types.js';

export async function up({ db, dialect }: MigrationContext): Promise<void> {
  await db.schema.createTable('namespaces')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('slug', key, (c) => c.notNull().unique())
    .addColumn('name', key, notNull)
    .addColumn('description', longText(dialect))
    .addColumn('managed_by', key)
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .execute();

  await db.schema.createTable('projects')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('namespace_id', id, (c) => c.notNull().references('namespaces.id').onDelete('cascade'))
    .addColumn('slug', key, notNull)
    .addColumn('name', key, notNull)
    .addColumn('description', longText(dialect))
    .addColumn('managed_by', key)
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .addUniqueConstraint('projects_namespace_slug', ['namespace_id', 'slug'])
    .execute();

  await db.schema.createTable('services')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('project_id', id, (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('namespace_id', id, (c) => c.notNull().references('namespaces.id').onDelete('cascade'))
    .addColumn('slug', key, notNull)
    .addColumn('name', key, notNull)
    .addColumn('description', longText(dialect))
    .addColumn('kind', 'varchar(16)', notNull)
    .addColumn('check_type', 'varchar(32)')
    .addColumn('config', longText(dialect), notNull)
    .addColumn('interval_ms', 'bigint', notNull)
    .addColumn('timeout_ms', 'bigint', notNull)
    .addColumn('retries', 'integer', notNull)
    .addColumn('retry_interval_ms', 'bigint', notNull)
    .addColumn('upside_down', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'varchar(16)', notNull)
    .addColumn('state_changed_at', 'bigint')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_checked_at', 'bigint')
    .addColumn('last_latency_ms', 'double precision')
    .addColumn('last_detail', longText(dialect))
    .addColumn('managed_by', key)
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .addUniqueConstraint('services_project_slug', ['project_id', 'slug'])
    .execute();
  await db.schema.createIndex('services_namespace').on('services').column('namespace_id').execute();
  await db.schema.createIndex('services_updated').on('services').column('updated_at').execute();

  await db.schema.createTable('service_tags')
    .addColumn('service_id', id, (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('tag', key, notNull)
    .addPrimaryKeyConstraint('service_tags_pk', ['service_id', 'tag'])
    .execute();
  await db.schema.createIndex('service_tags_tag').on('service_tags').column('tag').execute();

  await db.schema.createTable('incidents')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('service_id', id, (c) => c.references('services.id').onDelete('cascade'))
    .addColumn('namespace_id', id, (c) => c.notNull().references('namespaces.id').onDelete('cascade'))
    .addColumn('title', key, notNull)
    .addColumn('cause', longText(dialect))
    .addColumn('status', 'varchar(16)', notNull)
    .addColumn('origin', 'varchar(16)', notNull)
    .addColumn('opened_at', 'bigint', notNull)
    .addColumn('resolved_at', 'bigint')
    .execute();
  await db.schema.createIndex('incidents_service_status').on('incidents').columns(['service_id', 'status']).execute();
  await db.schema.createIndex('incidents_namespace_opened').on('incidents').columns(['namespace_id', 'opened_at']).execute();

  await withAutoId(db.schema.createTable('incident_updates'), dialect)
    .addColumn('incident_id', id, (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('at', 'bigint', notNull)
    .addColumn('status', 'varchar(32)', notNull)
    .addColumn('message', longText(dialect), notNull)
    .execute();
  await db.schema.createIndex('incident_updates_incident').on('incident_updates').columns(['incident_id', 'at']).execute();

  // No foreign key on the high-volume tables: deleting a service purges them in batches instead.
  await withAutoId(db.schema.createTable('check_results'), dialect)
    .addColumn('service_id', id, notNull)
    .addColumn('at', 'bigint', notNull)
    .addColumn('up', 'integer', notNull)
    .addColumn('latency_ms', 'double precision')
    .addColumn('detail', longText(dialect))
    .execute();
  await db.schema.createIndex('check_results_service_at').on('check_results').columns(['service_id', 'at']).execute();
  await db.schema.createIndex('check_results_at').on('check_results').column('at').execute();

  await withAutoId(db.schema.createTable('service_events'), dialect)
    .addColumn('service_id', id, notNull)
    .addColumn('at', 'bigint', notNull)
    .addColumn('from_state', 'varchar(16)', notNull)
    .addColumn('to_state', 'varchar(16)', notNull)
    .addColumn('cause', longText(dialect))
    .addColumn('incident_id', id)
    .execute();
  await db.schema.createIndex('service_events_service_at').on('service_events').columns(['service_id', 'at']).execute();
}

export async function down({ db }: MigrationContext): Promise<void> {
  for (const table of ['service_events', 'check_results', 'incident_updates', 'incidents', 'service_tags', 'services', 'projects', 'namespaces']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
