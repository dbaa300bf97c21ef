// Check-ins are first stored in heartbeat_ping_inbox, a table with no index on service_id, and
// moved into heartbeat_pings in (service_id, at) order about once a second (ping-inbox-mover.ts).
// Why: the (service_id, at) index put every check-in of a batch on a different leaf page, so each
// one cost a page write of its own (on SQLite a 4 KB log frame, two pwrite calls). Moved in bulk,
// a service's new pings share its last leaf. See docs/heartbeats.md for the figures.
// Ids come from ONE sequence for both tables and are kept by the move, so a ping's id never
// changes and ids still grow with arrival (the pruner relies on that).
import { sql } from 'kysely';
import { id, key, longText, withAutoId, type MigrationContext } from './column-types.js';

export async function up({ db, dialect }: MigrationContext): Promise<void> {
  let table = db.schema.createTable('heartbeat_ping_inbox');
  // PostgreSQL: no index at all (the mover takes any rows, not the oldest); ids from the pings' sequence.
  table = dialect === 'postgres'
    ? table.addColumn('id', 'bigint', (c) => c.notNull().defaultTo(sql`nextval('heartbeat_pings_id_seq')`))
    : withAutoId(table, dialect);
  await table
    // PostgreSQL deletes a service's pings by trigger (migration 202), SQLite and MySQL by cascade.
    .addColumn('service_id', id, (c) => (dialect === 'postgres' ? c.notNull() : c.notNull().references('services.id').onDelete('cascade')))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('exit_status', 'integer')
    .addColumn('duration_ms', 'bigint')
    .addColumn('body', longText(dialect))
    .addColumn('source_ip', 'varchar(64)')
    .addColumn('user_agent', key)
    .execute();
  // The inbox's own counter starts after the ids already given, so moved ids never collide.
  if (dialect === 'sqlite') {
    await sql`insert into sqlite_sequence (name, seq) select 'heartbeat_ping_inbox', coalesce(max(id), 0) from heartbeat_pings`.execute(db);
  } else if (dialect === 'mysql') {
    const { rows } = await sql<{ next: number | string | null }>`select max(id) + 1 as next from heartbeat_pings`.execute(db);
    const next = Number(rows[0]?.next ?? 0);
    if (next > 0) await sql`alter table heartbeat_ping_inbox auto_increment = ${sql.raw(String(next))}`.execute(db);
  } else {
    await deleteServicePings(db, ['heartbeat_ping_inbox', 'heartbeat_pings']);
  }
}

export async function down({ db, dialect }: MigrationContext): Promise<void> {
  const columns = sql.raw('id, service_id, at, kind, exit_status, duration_ms, body, source_ip, user_agent');
  await sql`insert into heartbeat_pings (${columns}) select ${columns} from heartbeat_ping_inbox`.execute(db);
  if (dialect === 'postgres') await deleteServicePings(db, ['heartbeat_pings']);
  await db.schema.dropTable('heartbeat_ping_inbox').execute();
}

/**
 * The function of migration 202's trigger. The inbox first: a mover holding some of the deleted
 * service's inbox rows is waited for, and the next statement (a new snapshot) then sees what it
 * moved, so no moved ping outlives its service.
 */
async function deleteServicePings(db: MigrationContext['db'], tables: string[]): Promise<void> {
  const deletes = tables.map((t) => `delete from ${t} where service_id in (select id from deleted_services);`).join('\n      ');
  await sql`create or replace function tocsin_delete_service_pings() returns trigger language plpgsql as $$
    begin
      ${sql.raw(deletes)}
      return null;
    end $$`.execute(db);
}
