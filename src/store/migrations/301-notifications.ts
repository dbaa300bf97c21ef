// Notification channels, where they are attached, the outbox of messages to deliver and the log of
// every delivery attempt.
import { withAutoId, key, id, longText, notNull, type MigrationContext } from './column-types.js';

export async function up({ db, dialect }: MigrationContext): Promise<void> {
  await db.schema.createTable('notification_channels')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('namespace_id', id, (c) => c.notNull().references('namespaces.id').onDelete('cascade'))
    .addColumn('name', key, notNull)
    .addColumn('type', 'varchar(32)', notNull)
    .addColumn('config', longText(dialect), notNull)
    .addColumn('secret_config', longText(dialect))
    .addColumn('policy', longText(dialect), notNull)
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('managed_by', key)
    .addColumn('last_error', longText(dialect))
    .addColumn('last_error_at', 'bigint')
    .addColumn('last_success_at', 'bigint')
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .addUniqueConstraint('notification_channels_namespace_name', ['namespace_id', 'name'])
    .execute();

  await db.schema.createTable('channel_routes')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('channel_id', id, (c) => c.notNull().references('notification_channels.id').onDelete('cascade'))
    .addColumn('namespace_id', id, (c) => c.notNull().references('namespaces.id').onDelete('cascade'))
    .addColumn('project_id', id, (c) => c.references('projects.id').onDelete('cascade'))
    .addColumn('service_id', id, (c) => c.references('services.id').onDelete('cascade'))
    .addColumn('tags', longText(dialect), notNull)
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema.createIndex('channel_routes_namespace').on('channel_routes').column('namespace_id').execute();
  await db.schema.createIndex('channel_routes_channel').on('channel_routes').column('channel_id').execute();

  await withAutoId(db.schema.createTable('notification_outbox'), dialect)
    .addColumn('channel_id', id, (c) => c.notNull().references('notification_channels.id').onDelete('cascade'))
    .addColumn('service_id', id)
    .addColumn('kind', 'varchar(16)', notNull)
    .addColumn('event', longText(dialect), notNull)
    .addColumn('dedup_key', key, (c) => c.unique())
    .addColumn('status', 'varchar(16)', notNull)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', notNull)
    .addColumn('claimed_by', key)
    .addColumn('claim_token', key)
    .addColumn('claim_expires_at', 'bigint')
    .addColumn('last_error', longText(dialect))
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('sent_at', 'bigint')
    .execute();
  await db.schema.createIndex('notification_outbox_due').on('notification_outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('notification_outbox_claim').on('notification_outbox').column('claim_token').execute();
  await db.schema.createIndex('notification_outbox_channel').on('notification_outbox').columns(['channel_id', 'id']).execute();

  await withAutoId(db.schema.createTable('notification_attempts'), dialect)
    .addColumn('outbox_id', 'bigint', (c) => c.notNull().references('notification_outbox.id').onDelete('cascade'))
    .addColumn('at', 'bigint', notNull)
    .addColumn('duration_ms', 'integer', notNull)
    .addColumn('ok', 'integer', notNull)
    .addColumn('status_code', 'integer')
    .addColumn('error', longText(dialect))
    .addColumn('permanent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('instance_id', key)
    .execute();
  await db.schema.createIndex('notification_attempts_outbox').on('notification_attempts').column('outbox_id').execute();

  // One row per (channel, service) while the service is flapping for that channel.
  await db.schema.createTable('notification_flapping')
    .addColumn('channel_id', id, (c) => c.notNull().references('notification_channels.id').onDelete('cascade'))
    .addColumn('service_id', id, (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('since', 'bigint', notNull)
    .addPrimaryKeyConstraint('notification_flapping_pk', ['channel_id', 'service_id'])
    .execute();
}

export async function down({ db }: MigrationContext): Promise<void> {
  for (const table of ['notification_flapping', 'notification_attempts', 'notification_outbox', 'channel_routes', 'notification_channels']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
