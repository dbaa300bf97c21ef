// Which services an incident written by people affects.
import type { Executor } from '../store/executor.js';
import './tables.js';

export class IncidentServicesRepository {
  constructor(private readonly db: Executor) {}

  async add(incidentId: string, serviceIds: string[]): Promise<void> {
    if (serviceIds.length === 0) return;
    await this.db.insertInto('incident_services').values(serviceIds.map((service_id) => ({ incident_id: incidentId, service_id }))).execute();
  }

  /** Affected service ids per incident. */
  async listFor(incidentIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (incidentIds.length === 0) return out;
    const rows = await this.db.selectFrom('incident_services').selectAll().where('incident_id', 'in', incidentIds).execute();
    for (const r of rows) out.set(r.incident_id, [...(out.get(r.incident_id) ?? []), r.service_id]);
    return out;
  }
}
