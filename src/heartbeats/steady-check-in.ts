// The steady check-in: a success (or exit status 0) by plain token for a service that is up with
// no run in progress. It changes no state and cannot bring the deadline forward, so it is
// written without reading the row first and without touching next_deadline:
// - the deadline only ever moves later on such a check-in (deadlinesAfter is monotonic in the
//   last check-in), so the stored next_deadline stays a valid "look again no later than". The
//   sweeper re-evaluates from last_ping_at when that time comes and stores the real deadline.
// - so no indexed column changes: on PostgreSQL the update is HOT (no index entries), on SQLite
//   no index page is dirtied.
// The UPDATE re-checks the conditions itself (on PostgreSQL after taking the row lock), so a
// service another writer moved to late or down in between is simply not updated; such check-ins,
// and every later one for the same token in the batch, go to the main path (batch-writer.ts).
// MySQL/MariaDB cannot return the updated rows, so they lock and read them first
// (steady-check-in-mysql.ts).
import type SQLite from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import type { Executor } from '../store/executor.js';
import { prepareByName } from '../store/pg-prepared.js';
import type { CheckIn } from './check-in.js';
import { sqliteInsert, sqliteInsertParameters, type NewPing } from './heartbeat-batch-sql.js';
import { checkInDetail } from './heartbeat-row.js';

/** The new check-in columns of one service: its last steady check-in of the batch. */
export interface SteadyRow {
  token: string;
  at: number;
  detail: string;
  /** The last latency a check-in reported (Kuma's `ping`); null keeps the stored one. */
  latency: number | null;
}

/** A steady batch: one row per token, and its pings in arrival order (service_id is the token). */
export interface SteadyInput {
  rows: SteadyRow[];
  pings: NewPing[];
}

/** Service id per token, for the tokens whose row the write updated. */
export type SteadyOutput = [token: string, serviceId: string][];

function isSteadySignal(item: CheckIn): boolean {
  const { kind, exitStatus } = item.signal;
  return item.target.by === 'token' && !item.target.orSlug && (kind === 'success' || (kind === 'exit' && exitStatus === 0));
}

/**
 * The items that may be written as steady: per token, those before its first item that is not
 * (a fail or a start changes the state or the deadline, and what follows it must come after).
 */
export function steadyIndexes(items: CheckIn[]): number[] {
  const stopped = new Set<string>();
  const indexes: number[] = [];
  items.forEach((item, index) => {
    if (item.target.by !== 'token') return;
    const token = item.target.token;
    if (stopped.has(token)) return;
    if (isSteadySignal(item)) indexes.push(index);
    else stopped.add(token);
  });
  return indexes;
}

export function steadyInput(items: CheckIn[]): SteadyInput {
  const rows = new Map<string, SteadyRow>();
  const pings = items.map((item): NewPing => {
    const token = item.target.by === 'token' ? item.target.token : '';
    const latency = item.latencyMs ?? rows.get(token)?.latency ?? null;
    rows.set(token, { token, at: item.at, detail: checkInDetail(item), latency });
    return {
      service_id: token, at: item.at, kind: item.signal.kind, exit_status: item.signal.exitStatus ?? null,
      duration_ms: null, body: item.body, source_ip: item.sourceIp, user_agent: item.userAgent,
    };
  });
  return { rows: [...rows.values()], pings };
}

/** What keeps a check-in steady, in SQL, for every database; `ref` writes a column as each one needs. */
export const steadyConditionsSql = (ref: (column: string) => string) =>
  `${ref('kind')} = 'heartbeat' and ${ref('state')} = 'up' and ${ref('run_started_at')} is null and ${ref('next_deadline')} is not null`;

const steadyConditions = steadyConditionsSql((column) => `"services"."${column}"`);

export const sqliteSteadyUpdate = `update "services" set "last_ping_at" = ?, "last_checked_at" = ?, "last_detail" = ?,
  "last_latency_ms" = coalesce(?, "last_latency_ms") where "ping_token" = ? and ${steadyConditions} returning "id"`;

// One statement, one round trip, no explicit transaction. The rows come as one array parameter
// per column (unnest): PostgreSQL reads typed arrays for less than json_to_recordset, which builds
// a hash of field names for every record. "x" finds each token's row through the ping_token index
// (a lateral lookup per token: the planner cannot misjudge the batch size into a scan of services)
// and sorts by id; the UPDATE then reaches each row by its ctid in that order, so concurrent
// batches lock rows in id order and never deadlock, with no separate locking pass. A row changed
// since "x" read it has a new ctid: the UPDATE's re-check skips it and that check-in takes the main
// path. Then the pings of the rows updated are inserted into the inbox, in item order.
// $1 sets synchronous_commit for this statement's own transaction ('off' for
// TOCSIN_CHECKIN_DURABILITY=process: committed and visible at once, on disk a moment later, as
// with SQLite's synchronous=NORMAL); null keeps the server's setting.
export const postgresSteadyWrite = `with "c" as (select set_config('synchronous_commit', coalesce($1, current_setting('synchronous_commit')), true)),
  "x" as (select "s"."ctid" as "row", "s"."id", "t"."token", "t"."at", "t"."detail", "t"."latency"
    from unnest($2::varchar[], $3::bigint[], $4::text[], $5::double precision[]) as "t"("token", "at", "detail", "latency")
    cross join lateral (select "ctid", "id" from "services" where "ping_token" = "t"."token" offset 0) as "s"
    order by "s"."id"),
  "u" as (update "services" set "last_ping_at" = "x"."at", "last_checked_at" = "x"."at", "last_detail" = "x"."detail",
      "last_latency_ms" = coalesce("x"."latency", "services"."last_latency_ms")
    from "x" where "services"."ctid" = "x"."row" and ${steadyConditions}
    returning "services"."id", "services"."ping_token"),
  "i" as (insert into "heartbeat_ping_inbox" ("service_id", "at", "kind", "exit_status", "duration_ms", "body", "source_ip", "user_agent")
    select "u"."id", "p"."at", "p"."kind", "p"."exit_status", null, "p"."body", "p"."source_ip", "p"."user_agent"
    from unnest($6::varchar[], $7::bigint[], $8::varchar[], $9::integer[], $10::text[], $11::varchar[], $12::varchar[]) with ordinality
      as "p"("token", "at", "kind", "exit_status", "body", "source_ip", "user_agent", "n")
    join "u" on "u"."ping_token" = "p"."token" order by "p"."n")
  select "ping_token", "id" from "u", "c"`;
prepareByName(postgresSteadyWrite);

/** The parameters of postgresSteadyWrite: one array per column. */
function postgresSteadyParameters(input: SteadyInput, asyncCommit: boolean): unknown[] {
  const { rows, pings } = input;
  return [
    asyncCommit ? 'off' : null,
    rows.map((r) => r.token), rows.map((r) => r.at), rows.map((r) => r.detail), rows.map((r) => r.latency),
    pings.map((p) => p.service_id), pings.map((p) => p.at), pings.map((p) => p.kind), pings.map((p) => p.exit_status),
    pings.map((p) => p.body), pings.map((p) => p.source_ip), pings.map((p) => p.user_agent),
  ];
}

/**
 * Writes a steady batch on PostgreSQL. `asyncCommit`: answer before the commit is on disk (see
 * postgresSteadyWrite).
 */
export async function writeSteadyOnPostgres(db: Executor, input: SteadyInput, asyncCommit: boolean): Promise<SteadyOutput> {
  const result = await db.executeQuery<{ ping_token: string; id: string }>(
    CompiledQuery.raw(postgresSteadyWrite, postgresSteadyParameters(input, asyncCommit)));
  return result.rows.map((r) => [r.ping_token, r.id]);
}

const sqliteRowParameters = (row: SteadyRow) => [row.at, row.at, row.detail, row.latency, row.token];

/**
 * The same write on SQLite, inside the caller's transaction (Store.sqliteTransaction): one
 * prepared UPDATE per service and one prepared INSERT per ping, run directly on better-sqlite3
 * (the connection caches the prepared statements, see connect.ts).
 */
export function writeSteadyOnSqlite(db: SQLite.Database, input: SteadyInput): SteadyOutput {
  const update = db.prepare(sqliteSteadyUpdate);
  const insert = db.prepare(sqliteInsert);
  const ids = new Map<string, string>();
  for (const row of input.rows) {
    const updated = update.get(sqliteRowParameters(row)) as { id: string } | undefined;
    if (updated) ids.set(row.token, updated.id);
  }
  for (const ping of input.pings) {
    const id = ids.get(ping.service_id);
    if (id) insert.run(sqliteInsertParameters({ ...ping, service_id: id }));
  }
  return [...ids];
}
