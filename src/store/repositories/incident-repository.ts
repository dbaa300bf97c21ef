import type { Incident, IncidentOrigin, IncidentStatus, IncidentUpdate } from '../../domain/incident.js';
import type { Executor } from '../executor.js';
import type { IncidentTable } from '../schema.js';

export interface IncidentFilter {
  namespaceIds?: string[];
  serviceId?: string;
  status?: IncidentStatus;
  from?: number;
  to?: number;
}

function toIncident(row: IncidentTable): Incident {
  const openedAt = Number(row.opened_at);
  const resolvedAt = row.resolved_at === null ? null : Number(row.resolved_at);
  return {
    id: row.id, serviceId: row.service_id, namespaceId: row.namespace_id, title: row.title, cause: row.cause,
    status: row.status as IncidentStatus, origin: row.origin as IncidentOrigin, openedAt, resolvedAt,
    durationMs: resolvedAt === null ? null : resolvedAt - openedAt,
  };
}

export class IncidentRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: IncidentTable): Promise<Incident> {
    await this.db.insertInto('incidents').values(row).execute();
    return toIncident(row);
  }

  async addUpdate(incidentId: string, at: number, status: string, message: string): Promise<void> {
    await this.db.insertInto('incident_updates').values({ incident_id: incidentId, at, status, message }).execute();
  }

  /** Resolves an open incident; returns false when it was not open (already resolved elsewhere). */
  async resolve(id: string, at: number): Promise<boolean> {
    const result = await this.db.updateTable('incidents').set({ status: 'resolved', resolved_at: at })
      .where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async findOpenForService(serviceId: string): Promise<Incident | undefined> {
    const row = await this.db.selectFrom('incidents').selectAll()
      .where('service_id', '=', serviceId).where('status', '=', 'open')
      .orderBy('opened_at', 'desc').executeTakeFirst();
    return row && toIncident(row);
  }

  async findById(id: string): Promise<Incident | undefined> {
    const row = await this.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const updates = await this.db.selectFrom('incident_updates').selectAll()
      .where('incident_id', '=', id).orderBy('at').orderBy('id').execute();
    return {
      ...toIncident(row),
      updates: updates.map((u): IncidentUpdate => ({ id: Number(u.id), at: Number(u.at), status: u.status, message: u.message })),
    };
  }

  /** Newest first; `before` is the keyset cursor (opened_at, id) of the last item of the previous page. */
  async list(filter: IncidentFilter, page: { limit: number; before?: { at: number; id: string } }): Promise<Incident[]> {
    if (filter.namespaceIds && filter.namespaceIds.length === 0) return [];
    let q = this.db.selectFrom('incidents').selectAll();
    if (filter.namespaceIds) q = q.where('namespace_id', 'in', filter.namespaceIds);
    if (filter.serviceId) q = q.where('service_id', '=', filter.serviceId);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.from !== undefined) q = q.where('opened_at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('opened_at', '<', filter.to);
    const before = page.before;
    if (before) {
      q = q.where((eb) => eb.or([
        eb('opened_at', '<', before.at),
        eb.and([eb('opened_at', '=', before.at), eb('id', '<', before.id)]),
      ]));
    }
    const rows = await q.orderBy('opened_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
    return rows.map(toIncident);
  }
}
