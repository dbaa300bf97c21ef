import type { ServiceEvent } from '../../domain/incident.js';
import type { DialectName } from '../database-url.js';
import type { Executor } from '../executor.js';

export interface NewServiceEvent {
  serviceId: string;
  at: number;
  fromState: string;
  toState: string;
  cause: string | null;
  incidentId: string | null;
}

function toEvent(r: { id: number; service_id: string; at: number; from_state: string; to_state: string; cause: string | null; incident_id: string | null }): ServiceEvent {
  return {
    id: Number(r.id), serviceId: r.service_id, at: Number(r.at), fromState: r.from_state, toState: r.to_state,
    cause: r.cause, incidentId: r.incident_id,
  };
}

export class EventRepository {
  constructor(private readonly db: Executor, private readonly dialect: DialectName) {}

  async insert(event: NewServiceEvent): Promise<number> {
    const values = {
      service_id: event.serviceId, at: event.at, from_state: event.fromState, to_state: event.toState,
      cause: event.cause, incident_id: event.incidentId,
    };
    // MySQL has no RETURNING; its driver reports insertId instead.
    if (this.dialect === 'mysql') {
      const result = await this.db.insertInto('service_events').values(values).executeTakeFirstOrThrow();
      return Number(result.insertId);
    }
    const row = await this.db.insertInto('service_events').values(values).returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /** Events after a given id, oldest first: how consumers follow the stream. */
  async listAfter(afterId: number, limit: number): Promise<ServiceEvent[]> {
    const rows = await this.db.selectFrom('service_events').selectAll()
      .where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map(toEvent);
  }

  async listForService(serviceId: string, options: { limit: number; beforeId?: number }): Promise<ServiceEvent[]> {
    let q = this.db.selectFrom('service_events').selectAll().where('service_id', '=', serviceId);
    if (options.beforeId !== undefined) q = q.where('id', '<', options.beforeId);
    const rows = await q.orderBy('id', 'desc').limit(options.limit).execute();
    return rows.map(toEvent);
  }
}
