// Writes the check columns of many services in ONE statement, for results that change no state
// (the vast majority). One statement per chunk instead of one per result keeps the writer cheap
// in CPU and garbage at 10,000 services. Standard SQL (CASE) that SQLite, PostgreSQL and MySQL
// all run; each CASE ends in ELSE <column>, which also gives PostgreSQL the parameters' types.
// Each row is a compare-and-set on its expected state, like the one-row updates.
import { sql, type RawBuilder } from 'kysely';
import type { ServiceState } from '../domain/service-state.js';
import type { Executor } from '../store/executor.js';

export interface CheckColumns {
  id: string;
  /** The state the row must still have; otherwise it is left alone. */
  expectedState: ServiceState;
  consecutiveFailures: number;
  lastCheckedAt: number;
  lastLatencyMs: number | null;
  lastDetail: string;
}

const chunkSize = 100;

function caseOf(rows: CheckColumns[], column: string, value: (r: CheckColumns) => unknown): RawBuilder<unknown> {
  const whens = rows.map((r) => sql`WHEN ${r.id} THEN ${value(r)}`);
  return sql`CASE ${sql.ref('id')} ${sql.join(whens, sql` `)} ELSE ${sql.ref(column)} END`;
}

/** Updates the rows; returns the ids actually updated (paused, deleted or changed ones are not). */
export async function updateCheckColumns(db: Executor, rows: CheckColumns[]): Promise<Set<string>> {
  const applied = new Set<string>();
  for (let i = 0; i < rows.length; i += chunkSize) {
    const chunk = rows.slice(i, i + chunkSize);
    const matches = chunk.map((r) => sql`(${sql.ref('id')} = ${r.id} AND ${sql.ref('state')} = ${r.expectedState})`);
    const result = await sql`UPDATE ${sql.table('services')} SET
      ${sql.ref('consecutive_failures')} = ${caseOf(chunk, 'consecutive_failures', (r) => r.consecutiveFailures)},
      ${sql.ref('last_checked_at')} = ${caseOf(chunk, 'last_checked_at', (r) => r.lastCheckedAt)},
      ${sql.ref('last_latency_ms')} = ${caseOf(chunk, 'last_latency_ms', (r) => r.lastLatencyMs)},
      ${sql.ref('last_detail')} = ${caseOf(chunk, 'last_detail', (r) => r.lastDetail)}
      WHERE ${sql.ref('paused')} = 0 AND ${sql.ref('kind')} = 'check' AND (${sql.join(matches, sql` OR `)})`.execute(db);
    if (Number(result.numAffectedRows ?? 0) === chunk.length) {
      for (const r of chunk) applied.add(r.id);
      continue;
    }
    // Some rows were skipped: the ones now carrying our check time are those that were written.
    const written = await db.selectFrom('services').select(['id', 'last_checked_at']).where('id', 'in', chunk.map((r) => r.id)).execute();
    const at = new Map(written.map((w) => [w.id, Number(w.last_checked_at)]));
    for (const r of chunk) if (at.get(r.id) === r.lastCheckedAt) applied.add(r.id);
  }
  return applied;
}
