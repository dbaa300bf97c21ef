// Multi-row writes of a batch of state changes (StateTransitions.recordMany): the incidents they
// open, those incidents' first updates, and their service_events rows, one statement per table
// instead of one per change. Callers guarantee one change per service in a batch.
import type { Executor } from '../store/executor.js';
import type { NewServiceEvent } from '../store/repositories/event-repository.js';
import type { IncidentTable } from '../store/schema.js';

/** Rows per statement: far under every dialect's limit on bound parameters. */
const chunkSize = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += chunkSize) out.push(items.slice(start, start + chunkSize));
  return out;
}

export async function insertOpenedIncidents(trx: Executor, opened: { row: IncidentTable; message: string }[]): Promise<void> {
  for (const part of chunks(opened)) {
    await trx.insertInto('incidents').values(part.map((o) => o.row)).execute();
    await trx.insertInto('incident_updates')
      .values(part.map((o) => ({ incident_id: o.row.id, at: o.row.opened_at, status: 'opened', message: o.message })))
      .execute();
  }
}

/** Inserts the events and returns their ids by service id. */
export async function insertEvents(trx: Executor, events: NewServiceEvent[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const part of chunks(events)) {
    const values = part.map((e) => ({
      service_id: e.serviceId, at: e.at, from_state: e.fromState, to_state: e.toState, cause: e.cause, incident_id: e.incidentId,
    }));
    if (trx.getExecutor().adapter.supportsReturning) {
      // RETURNING promises no order: rows are matched by service.
      const rows = await trx.insertInto('service_events').values(values).returning(['id', 'service_id']).execute();
      for (const r of rows) ids.set(r.service_id, Number(r.id));
      continue;
    }
    // MySQL has no RETURNING and reports only the first id of the statement (the others need not
    // be consecutive). The first row of each service from that id on is the one just written:
    // ids grow, and a state change holds its service's row, so no other transaction adds events
    // for these services meanwhile.
    const result = await trx.insertInto('service_events').values(values).executeTakeFirstOrThrow();
    const rows = await trx.selectFrom('service_events').select(['id', 'service_id'])
      .where('id', '>=', Number(result.insertId)).where('service_id', 'in', part.map((e) => e.serviceId))
      .orderBy('id').execute();
    for (const r of rows) if (!ids.has(r.service_id)) ids.set(r.service_id, Number(r.id));
  }
  return ids;
}
