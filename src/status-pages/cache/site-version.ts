// A cheap fingerprint of everything a status page shows. Any state change, incident update, page,
// service or maintenance edit - made by this instance or another one sharing the database -
// changes it, which is how caches learn that what they hold is stale.
import { sql } from 'kysely';
import type { Executor } from '../../store/executor.js';

export async function readSiteVersion(db: Executor): Promise<string> {
  const result = await sql<Record<string, unknown>>`select
    (select max(id) from service_events) as events,
    (select max(id) from incident_updates) as updates,
    (select count(*) from incident_updates) as update_count,
    (select count(*) from incident_services) as affected,
    (select max(updated_at) from status_pages) as pages,
    (select count(*) from status_pages) as page_count,
    (select max(updated_at) from services) as services,
    (select count(*) from services) as service_count,
    (select max(updated_at) from maintenance_windows) as maintenance,
    (select count(*) from maintenance_windows) as maintenance_count`.execute(db);
  return Object.values(result.rows[0] ?? {}).map((v) => String(v ?? '')).join('|');
}
