// Moves check-ins from heartbeat_ping_inbox into heartbeat_pings (migration 203 says why): what
// the inbox holds, up to `maxRows` per transaction, inserted in (service_id, at) order so that a
// service's new pings land together on its last leaf of the (service_id, at) index. Ids are kept.
// The bigger a move, the more pings share a leaf: about once a second suits a flood of check-ins
// (thousands per service-minute) and costs nothing when few arrive.
// Several instances may move at once: on PostgreSQL each takes rows with FOR UPDATE SKIP LOCKED,
// so two movers take different rows; MySQL/MariaDB and SQLite move one at a time.
// Nothing reads the inbox alone: readers (heartbeat-repository.ts) look at both tables in one
// statement, so a ping is seen exactly once whichever side of a move it is on.
import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../store/database-url.js';
import type { Database } from '../store/schema.js';
import { pingColumns } from './heartbeat-batch-sql.js';

export const defaultInboxMoving = { everyMs: 1000, maxRows: 20_000 };

/** Every column of both tables, named in one order (the inbox was created after the history, not from it). */
export const storedPingColumns = sql.raw(['id', ...pingColumns].join(', '));
const columns = storedPingColumns;

/** One transaction: moves up to `maxRows` pings. Returns how many it moved. */
export async function moveInboxOnce(db: Kysely<Database>, dialect: DialectName, maxRows: number): Promise<number> {
  if (dialect === 'postgres') {
    // The inbox has no index: any rows will do (ctid), and their ids keep the arrival order.
    const result = await sql`with "picked" as (select ctid from heartbeat_ping_inbox limit ${maxRows} for update skip locked),
      "moved" as (delete from heartbeat_ping_inbox where ctid = any(array(select ctid from "picked")) returning ${columns})
      insert into heartbeat_pings (${columns}) select ${columns} from "moved" order by service_id, at`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  }
  if (dialect === 'sqlite') {
    // BEGIN IMMEDIATE (connect.ts): no other writer until the commit, so a range of ids is safe.
    return db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ last: number | null }>`select max(id) as last from
        (select id from heartbeat_ping_inbox order by id limit ${maxRows})`.execute(trx);
      const last = rows[0]?.last ?? null;
      if (last === null) return 0;
      await sql`insert into heartbeat_pings (${columns}) select ${columns} from heartbeat_ping_inbox where id <= ${last} order by service_id, at`.execute(trx);
      const deleted = await trx.deleteFrom('heartbeat_ping_inbox').where('id', '<=', last).executeTakeFirst();
      return Number(deleted.numDeletedRows);
    });
  }
  // MySQL/MariaDB: one mover at a time (a named lock; the others skip their turn): two movers
  // deadlocked there, even on different rows. READ COMMITTED: under REPEATABLE READ the locking
  // read also locked the gap after the last row, so a check-in's INSERT into the inbox waited for
  // the mover while holding its service row, which the mover's foreign key check of
  // heartbeat_pings then waited for.
  return db.transaction().setIsolationLevel('read committed').execute(async (trx) => {
    const { rows } = await sql<{ got: number | null }>`select get_lock('tocsin_ping_inbox_mover', 0) as got`.execute(trx);
    if (Number(rows[0]?.got) !== 1) return 0;
    try {
      const picked = await trx.selectFrom('heartbeat_ping_inbox').select('id').orderBy('id').limit(maxRows).forUpdate().execute();
      if (picked.length === 0) return 0;
      const ids = picked.map((r) => r.id);
      await sql`insert into heartbeat_pings (${columns}) select ${columns} from heartbeat_ping_inbox where id in (${sql.join(ids)}) order by service_id, at`.execute(trx);
      await trx.deleteFrom('heartbeat_ping_inbox').where('id', 'in', ids).execute();
      return ids.length;
    } finally {
      await sql`select release_lock('tocsin_ping_inbox_mover')`.execute(trx);
    }
  });
}

/**
 * PostgreSQL only: makes the space of the rows just moved reusable at once. A deleted row keeps
 * its space in the heap until VACUUM, new rows go to the end, and the mover's scan starts at the
 * beginning, so each move read every page emptied since the last vacuum. Autovacuum comes at
 * most once a minute, and never where it is off (as on the test machine). Measured there: a
 * two-minute flood of 13,000-19,000 check-ins a second left 2.15 million dead rows (240 MB), and
 * one move's scan over such a heap took 55 ms, growing with the flood. Vacuumed after each move,
 * the inbox keeps about one move's rows and its pages are reused; VACUUM takes about 10 ms per
 * 20,000 rows moved. SKIP_LOCKED: another instance's vacuum of it is as good. TRUNCATE false:
 * giving the empty tail back to the OS needs a lock that would make check-ins wait, and the next
 * check-ins fill it again.
 */
async function reclaimInboxSpace(db: Kysely<Database>): Promise<void> {
  await sql`vacuum (skip_locked, truncate false) heartbeat_ping_inbox`.execute(db);
}

/** Moves until the inbox holds less than one transaction's worth. Returns how many it moved. */
export async function moveInbox(db: Kysely<Database>, dialect: DialectName, maxRows: number): Promise<number> {
  let moved = 0;
  for (;;) {
    const once = await moveInboxOnce(db, dialect, maxRows);
    moved += once;
    if (dialect === 'postgres' && once > 0) await reclaimInboxSpace(db);
    if (once < maxRows) return moved;
    // On SQLite every step above completes synchronously: without a turn of the event loop
    // between transactions, requests and check-in batches would wait for the whole backlog.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
