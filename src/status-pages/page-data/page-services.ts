// The services of a page, group by group, and their state timelines and recent latencies.
import type { Service } from '../../domain/catalog.js';
import type { DataAccess } from '../../store/data-access.js';
import type { StoredGroup } from '../status-page.js';
import type { StateChangePoint } from './uptime-timeline.js';

export interface ResolvedGroup {
  name: string;
  services: Service[];
}

export async function servicesOfGroups(data: DataAccess, groups: StoredGroup[]): Promise<ResolvedGroup[]> {
  const picked = new Map((await data.repos.services.findByIds(groups.flatMap((g) => g.serviceIds ?? []))).map((s) => [s.id, s]));
  const out: ResolvedGroup[] = [];
  for (const group of groups) {
    if (group.projectId) {
      const { items } = await data.repos.services.list({ projectId: group.projectId }, { limit: 1000, offset: 0 });
      out.push({ name: group.name, services: items });
    } else {
      out.push({ name: group.name, services: (group.serviceIds ?? []).flatMap((id) => picked.get(id) ?? []) });
    }
  }
  return out;
}

/** State changes since `from` per service, oldest first. */
export async function stateChangesSince(data: DataAccess, serviceIds: string[], from: number): Promise<Map<string, StateChangePoint[]>> {
  const out = new Map<string, StateChangePoint[]>();
  if (serviceIds.length === 0) return out;
  const rows = await data.db.selectFrom('service_events').select(['service_id', 'at', 'from_state', 'to_state'])
    .where('service_id', 'in', serviceIds).where('at', '>=', from)
    .orderBy('service_id').orderBy('at').orderBy('id').execute();
  for (const r of rows) {
    let list = out.get(r.service_id);
    if (!list) out.set(r.service_id, (list = []));
    list.push({ at: Number(r.at), from: r.from_state, to: r.to_state });
  }
  return out;
}

/** The last `count` response times of each service, oldest first (one indexed query each). */
export async function recentLatencies(data: DataAccess, serviceIds: string[], count: number): Promise<Map<string, number[]>> {
  const lists = await Promise.all(serviceIds.map(async (id) => {
    const rows = await data.db.selectFrom('check_results').select(['latency_ms'])
      .where('service_id', '=', id).where('latency_ms', 'is not', null)
      .orderBy('at', 'desc').limit(count).execute();
    return [id, rows.map((r) => Number(r.latency_ms)).reverse()] as const;
  }));
  return new Map(lists);
}
