// The steady check-in write on MySQL/MariaDB (see steady-check-in.ts for what "steady" means).
// Neither has UPDATE … RETURNING, so the rows to update are found first, by a locking read: in
// one transaction, SELECT … FOR UPDATE takes the rows of these tokens that are still steady (up,
// no run in progress) and locks them, then one UPDATE writes exactly those rows and one INSERT
// their pings. A row another writer moved to late or down is not returned, so its check-ins go
// to the main path, as on the other databases. The locking read walks the ping_token index, as
// the main path's lock does for token check-ins, so both take their locks in the same order.
// The statements are plain SQL with `?` placeholders (filled in by mysql2), built by joining
// strings rather than through Kysely's query tree.
import { CompiledQuery } from 'kysely';
import type { Executor } from '../store/executor.js';
import { pingColumns } from './heartbeat-batch-sql.js';
import { steadyConditionsSql, type SteadyInput, type SteadyOutput, type SteadyRow } from './steady-check-in.js';

const steadyConditions = steadyConditionsSql((column) => column);
const marks = (count: number, each = '?') => Array.from({ length: count }, () => each).join(', ');

/**
 * `case id when ? then ? … end` over the rows, with its parameters: the text form of
 * store/case-by-id.ts, which builds the same through Kysely's query tree, a cost per row that this
 * statement, run for every batch of check-ins, does without.
 */
function caseByIdText(rows: SteadyRow[], idOf: Map<string, string>, valueOf: (row: SteadyRow) => unknown): { text: string; parameters: unknown[] } {
  const parameters: unknown[] = [];
  for (const row of rows) parameters.push(idOf.get(row.token), valueOf(row));
  return { text: `case id ${rows.map(() => 'when ? then ?').join(' ')} end`, parameters };
}

export async function writeSteadyOnMysql(db: Executor, input: SteadyInput): Promise<SteadyOutput> {
  const tokens = input.rows.map((r) => r.token);
  if (tokens.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const found = await trx.executeQuery<{ id: string | number; ping_token: string }>(CompiledQuery.raw(
      `select id, ping_token from services where ping_token in (${marks(tokens.length)}) and ${steadyConditions} for update`, tokens));
    const idOf = new Map(found.rows.map((r) => [r.ping_token, String(r.id)]));
    const rows = input.rows.filter((r) => idOf.has(r.token));
    if (rows.length === 0) return [];

    const at = caseByIdText(rows, idOf, (r) => r.at);
    const detail = caseByIdText(rows, idOf, (r) => r.detail);
    const latency = caseByIdText(rows, idOf, (r) => r.latency);
    const ids = rows.map((r) => idOf.get(r.token));
    await trx.executeQuery(CompiledQuery.raw(
      `update services set last_ping_at = ${at.text}, last_checked_at = ${at.text}, last_detail = ${detail.text},
        last_latency_ms = coalesce(${latency.text}, last_latency_ms) where id in (${marks(ids.length)})`,
      [...at.parameters, ...at.parameters, ...detail.parameters, ...latency.parameters, ...ids]));

    const pings = input.pings.filter((p) => idOf.has(p.service_id));
    const values = pings.flatMap((p) => pingColumns.map((c) => (c === 'service_id' ? idOf.get(p.service_id) : p[c])));
    await trx.executeQuery(CompiledQuery.raw(
      `insert into heartbeat_ping_inbox (${pingColumns.join(', ')}) values ${marks(pings.length, `(${marks(pingColumns.length)})`)}`, values));
    return rows.map((r): [string, string] => [r.token, idOf.get(r.token)!]);
  });
}
