// Writes one batch of check-ins: the check-in columns of every touched heartbeat and the new
// pings, in the cheapest form each database has. Every statement has a FIXED text whatever the
// batch size, so it is parsed and prepared once (a multi-row VALUES list changes text with its
// length: SQLite then prepares anew, measured at three times the cost of running the rows).
// - SQLite (in process, no round trips): one prepared UPDATE and one prepared INSERT, run per row.
// - PostgreSQL: ONE statement, rows passed as two JSON parameters (json_to_recordset): one round
//   trip for the batch.
// - MySQL/MariaDB: one UPDATE with a CASE per column (no UPDATE … FROM there) and one INSERT.
// Pings go to heartbeat_ping_inbox; ping-inbox-mover.ts moves them into heartbeat_pings.
import { CompiledQuery, sql } from 'kysely';
import { caseById } from '../store/case-by-id.js';
import type { DialectName } from '../store/database-url.js';
import type { Executor } from '../store/executor.js';
import type { HeartbeatPingTable } from './heartbeat-tables.js';

export type NewPing = Omit<HeartbeatPingTable, 'id'>;

/** The check-in columns of a service row, as the batch writes them. */
export interface HeartbeatColumns {
  state: string;
  state_changed_at: number | null;
  last_ping_at: number | null;
  run_started_at: number | null;
  next_deadline: number | null;
  last_checked_at: number | null;
  last_latency_ms: number | null;
  last_detail: string | null;
}

export interface TouchedRow {
  id: string;
  columns: HeartbeatColumns;
}

const columnTypes: Record<keyof HeartbeatColumns, string> = {
  state: 'varchar', state_changed_at: 'bigint', last_ping_at: 'bigint', run_started_at: 'bigint',
  next_deadline: 'bigint', last_checked_at: 'bigint', last_latency_ms: 'double precision', last_detail: 'text',
};
const pingTypes: Record<keyof NewPing, string> = {
  service_id: 'varchar', at: 'bigint', kind: 'varchar', exit_status: 'integer', duration_ms: 'bigint',
  body: 'text', source_ip: 'varchar', user_agent: 'varchar',
};
const columns = Object.keys(columnTypes) as (keyof HeartbeatColumns)[];
export const pingColumns = Object.keys(pingTypes) as (keyof NewPing)[];

const quoted = (name: string) => `"${name}"`;
export const sqliteUpdate = `update "services" set ${columns.map((c) => `${quoted(c)} = ?`).join(', ')} where "id" = ?`;
export const sqliteInsert = `insert into "heartbeat_ping_inbox" (${pingColumns.map(quoted).join(', ')}) values (${pingColumns.map(() => '?').join(', ')})`;
export const postgresWrite = `with "v" as (select * from json_to_recordset($1::json) as "v"("id" varchar, ${columns.map((c) => `${quoted(c)} ${columnTypes[c]}`).join(', ')})),
  "u" as (update "services" set ${columns.map((c) => `${quoted(c)} = "v".${quoted(c)}`).join(', ')} from "v" where "services"."id" = "v"."id")
  insert into "heartbeat_ping_inbox" (${pingColumns.map(quoted).join(', ')})
  select ${pingColumns.map(quoted).join(', ')} from json_to_recordset($2::json) as "p"(${pingColumns.map((c) => `${quoted(c)} ${pingTypes[c]}`).join(', ')})`;

export async function writeHeartbeatBatch(trx: Executor, dialect: DialectName, rows: TouchedRow[], pings: NewPing[]): Promise<void> {
  if (dialect === 'sqlite') return writeRowByRow(trx, rows, pings);
  if (dialect === 'postgres') {
    const rowsJson = JSON.stringify(rows.map((r) => ({ id: r.id, ...r.columns })));
    await trx.executeQuery(CompiledQuery.raw(postgresWrite, [rowsJson, JSON.stringify(pings)]));
    return;
  }
  if (rows.length > 0) await updateByCase(trx, rows);
  await insertPings(trx, pings);
}

/** Parameters of `sqliteUpdate` for one row. */
export const sqliteUpdateParameters = (row: TouchedRow) => [...columns.map((c) => row.columns[c]), row.id];
/** Parameters of `sqliteInsert` for one ping. */
export const sqliteInsertParameters = (ping: NewPing) => pingColumns.map((c) => ping[c]);

async function writeRowByRow(trx: Executor, rows: TouchedRow[], pings: NewPing[]): Promise<void> {
  for (const row of rows) await trx.executeQuery(CompiledQuery.raw(sqliteUpdate, sqliteUpdateParameters(row)));
  for (const ping of pings) await trx.executeQuery(CompiledQuery.raw(sqliteInsert, sqliteInsertParameters(ping)));
}

async function updateByCase(trx: Executor, rows: TouchedRow[]): Promise<void> {
  const assignments = columns.map((column) => caseById(column, rows, (r) => r.id, (r) => r.columns[column]));
  await sql`update ${sql.table('services')} set ${sql.join(assignments)} where ${sql.ref('id')} in (${sql.join(rows.map((r) => r.id))})`.execute(trx);
}

export async function insertPings(trx: Executor, pings: NewPing[]): Promise<void> {
  for (let i = 0; i < pings.length; i += 500) {
    await trx.insertInto('heartbeat_ping_inbox').values(pings.slice(i, i + 500)).execute();
  }
}
