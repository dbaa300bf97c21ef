// Incidents that concern a page: automatic ones of its services, manual ones affecting any of its
// services, and manual ones naming no service at all (namespace-wide announcements).
import type { DataAccess } from '../../store/data-access.js';
import '../../incidents/tables.js';
import type { IncidentView } from './page-model.js';

export interface IncidentQuery {
  namespaceId: string;
  serviceIds: string[];
  /** Opened in [from, to), plus (when `includeOpen`) every incident still open. */
  from: number;
  to: number;
  includeOpen: boolean;
  limit: number;
}

export async function pageIncidents(data: DataAccess, q: IncidentQuery, nameOf: (serviceId: string) => string | undefined): Promise<IncidentView[]> {
  const ids = q.serviceIds.length > 0 ? q.serviceIds : ['-'];
  const rows = await data.db.selectFrom('incidents').selectAll()
    .where('namespace_id', '=', q.namespaceId)
    .where((eb) => eb.or([
      eb('service_id', 'in', ids),
      eb('id', 'in', eb.selectFrom('incident_services').select('incident_id').where('service_id', 'in', ids)),
      eb.and([eb('origin', '=', 'manual'), eb('id', 'not in', eb.selectFrom('incident_services').select('incident_id'))]),
    ]))
    .where((eb) => {
      const inRange = eb.and([eb('opened_at', '>=', q.from), eb('opened_at', '<', q.to)]);
      return q.includeOpen ? eb.or([inRange, eb('status', '=', 'open')]) : inRange;
    })
    .orderBy('opened_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  if (rows.length === 0) return [];
  const incidentIds = rows.map((r) => r.id);
  const [updates, affectedRows] = await Promise.all([
    data.db.selectFrom('incident_updates').selectAll().where('incident_id', 'in', incidentIds).orderBy('at').orderBy('id').execute(),
    data.db.selectFrom('incident_services').selectAll().where('incident_id', 'in', incidentIds).execute(),
  ]);
  return rows.map((r): IncidentView => {
    const own = updates.filter((u) => u.incident_id === r.id).map((u) => ({ at: Number(u.at), status: u.status, message: u.message }));
    const affectedIds = [...(r.service_id ? [r.service_id] : []), ...affectedRows.filter((a) => a.incident_id === r.id).map((a) => a.service_id)];
    return {
      id: r.id, title: r.title, origin: r.origin as IncidentView['origin'], status: r.status as IncidentView['status'],
      progress: r.status === 'resolved' ? 'resolved' : own.at(-1)?.status ?? 'investigating',
      openedAt: Number(r.opened_at), resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
      updates: [...own].reverse(), affected: affectedIds.flatMap((id) => nameOf(id) ?? []),
    };
  });
}
