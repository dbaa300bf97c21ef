// The deadline sweeper's own queries, beside HeartbeatRepository's claimDue: the earliest
// deadline to come (when to wake up next) and the write-back of a swept batch in one statement.
import { sql } from 'kysely';
import type { ServiceState } from '../domain/service-state.js';
import { caseById } from '../store/case-by-id.js';
import type { Executor } from '../store/executor.js';

export interface SweptHeartbeat {
  id: string;
  /** The new state, when it changed. */
  state?: ServiceState;
  stateChangedAt?: number;
  /** Cleared when the service goes down (a run that never ended is over). */
  clearRun: boolean;
  nextDeadline: number | null;
}

/** The earliest deadline of any heartbeat (an index lookup), or null when none has one. */
export async function earliestDeadline(db: Executor): Promise<number | null> {
  const row = await db.selectFrom('services').select('next_deadline')
    .where('next_deadline', 'is not', null).where('kind', '=', 'heartbeat')
    .orderBy('next_deadline').limit(1).executeTakeFirst();
  return row?.next_deadline === null || row?.next_deadline === undefined ? null : Number(row.next_deadline);
}

/**
 * Writes the outcome of a sweep for every service of a batch in ONE UPDATE: a CASE per column,
 * which the three dialects all understand. Rows that keep their state keep their columns.
 */
export async function writeSwept(trx: Executor, swept: SweptHeartbeat[]): Promise<void> {
  if (swept.length === 0) return;
  const caseOf = (column: string, rows: SweptHeartbeat[], value: (r: SweptHeartbeat) => unknown) => caseById(column, rows, (r) => r.id, value);
  const changed = swept.filter((r) => r.state !== undefined);
  const cleared = swept.filter((r) => r.clearRun);
  const assignments = [
    caseOf('next_deadline', swept, (r) => r.nextDeadline),
    ...(changed.length > 0 ? [caseOf('state', changed, (r) => r.state), caseOf('state_changed_at', changed, (r) => r.stateChangedAt)] : []),
    ...(cleared.length > 0 ? [caseOf('run_started_at', cleared, () => null)] : []),
  ];
  await sql`update ${sql.table('services')} set ${sql.join(assignments)} where ${sql.ref('id')} in (${sql.join(swept.map((r) => r.id))})`.execute(trx);
}
