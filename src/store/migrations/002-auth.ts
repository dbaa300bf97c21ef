// Users, namespace memberships, browser sessions, API keys and login throttling.
import { key, id, notNull, type MigrationContext } from './column-types.js';

export async function up({ db }: MigrationContext): Promise<void> {
  await db.schema.createTable('users')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('email', key, (c) => c.notNull().unique())
    .addColumn('name', key, notNull)
    .addColumn('password_hash', key, notNull)
    .addColumn('role', 'varchar(16)')
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .execute();

  await db.schema.createTable('memberships')
    .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('namespace_id', id, (c) => c.notNull().references('namespaces.id').onDelete('cascade'))
    .addColumn('role', 'varchar(16)', notNull)
    .addPrimaryKeyConstraint('memberships_pk', ['user_id', 'namespace_id'])
    .execute();

  await db.schema.createTable('sessions')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('expires_at', 'bigint', notNull)
    .addColumn('last_seen_at', 'bigint', notNull)
    .execute();

  await db.schema.createTable('api_keys')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', key, notNull)
    .addColumn('key_hash', 'varchar(64)', notNull)
    .addColumn('scope', 'varchar(16)', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('last_used_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .execute();

  await db.schema.createTable('login_attempts')
    .addColumn('bucket', key, (c) => c.primaryKey())
    .addColumn('window_start', 'bigint', notNull)
    .addColumn('failures', 'integer', notNull)
    .execute();
}

export async function down({ db }: MigrationContext): Promise<void> {
  for (const table of ['login_attempts', 'api_keys', 'sessions', 'memberships', 'users']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
