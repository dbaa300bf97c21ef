// PostgreSQL only: a check-in's ping no longer has a foreign key to its service. Deleting a
// service still deletes its pings, through a statement trigger on services (it also fires for the
// services a deleted project or namespace takes with it).
// Why: the key's check ran for every ping inserted, a lookup and a share lock of the service row
// the same statement had just updated. Measured in the ingest benchmark (alternating runs, 50
// connections): database CPU per check-in 42-50 µs with the key, 33-36 µs without.
// Nothing can insert an orphan: every ping is inserted in the statement or transaction that has
// updated or locked its service row, so a concurrent delete of that service waits for it to
// commit and its trigger then sees the new ping (READ COMMITTED), or it has already committed and
// the check-in finds no service. SQLite and MySQL keep the key: both check it for little there.
import { sql } from 'kysely';
import type { MigrationContext } from './column-types.js';

export async function up({ db, dialect }: MigrationContext): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`alter table heartbeat_pings drop constraint if exists heartbeat_pings_service_id_fkey`.execute(db);
  await sql`create or replace function tocsin_delete_service_pings() returns trigger language plpgsql as $$
    begin
      delete from heartbeat_pings where service_id in (select id from deleted_services);
      return null;
    end $$`.execute(db);
  await sql`create trigger services_delete_pings after delete on services
    referencing old table as deleted_services for each statement execute function tocsin_delete_service_pings()`.execute(db);
}

export async function down({ db, dialect }: MigrationContext): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`drop trigger if exists services_delete_pings on services`.execute(db);
  await sql`drop function if exists tocsin_delete_service_pings()`.execute(db);
  await sql`delete from heartbeat_pings where not exists (select 1 from services where services.id = heartbeat_pings.service_id)`.execute(db);
  await sql`alter table heartbeat_pings add constraint heartbeat_pings_service_id_fkey
    foreign key (service_id) references services (id) on delete cascade`.execute(db);
}
