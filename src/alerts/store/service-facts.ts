// What alerting needs to know about a service beyond the state change: its project (for routing),
// tags (for route filters) and config (for the message's target).
import type { ServiceKind } from '../../domain/service-state.js';
import { fromJson, type Executor } from '../../store/executor.js';
import type { ServiceFacts } from '../alert-event.js';

/** States that count for flapping: the service's own health, not pauses or maintenance. */
export const flappingStates = ['up', 'down', 'pending', 'late'];

/**
 * One query for everything about some services: a row per tag (left join). With `changesSince`,
 * each fact also counts the service's health changes since then (for flapping detection).
 */
export async function loadServiceFacts(db: Executor, serviceIds: string[], options: { changesSince?: number } = {}): Promise<Map<string, ServiceFacts & { recentChanges: number }>> {
  const facts = new Map<string, ServiceFacts & { recentChanges: number }>();
  if (serviceIds.length === 0) return facts;
  const since = options.changesSince;
  const rows = await db.selectFrom('services')
    .innerJoin('projects', 'projects.id', 'services.project_id')
    .innerJoin('namespaces', 'namespaces.id', 'services.namespace_id')
    .leftJoin('service_tags', 'service_tags.service_id', 'services.id')
    .select(['services.id', 'services.namespace_id', 'services.project_id', 'services.slug', 'services.name', 'services.kind', 'services.config',
      'namespaces.slug as ns_slug', 'projects.slug as project_slug', 'service_tags.tag'])
    .select((eb) => (since === undefined ? eb.val(0) : eb.selectFrom('service_events').select((e) => e.fn.countAll<number>().as('n'))
      .whereRef('service_events.service_id', '=', 'services.id').where('service_events.at', '>=', since)
      .where('service_events.to_state', 'in', flappingStates)).as('recent_changes'))
    .where('services.id', 'in', serviceIds)
    .execute();
  for (const r of rows) {
    const known = facts.get(r.id);
    if (known) {
      if (r.tag) known.tags.push(r.tag);
      continue;
    }
    facts.set(r.id, {
      id: r.id, namespaceId: r.namespace_id, projectId: r.project_id, path: `${r.ns_slug}/${r.project_slug}/${r.slug}`,
      name: r.name, kind: r.kind as ServiceKind, config: fromJson(r.config, {}), tags: r.tag ? [r.tag] : [],
      recentChanges: Number(r.recent_changes ?? 0),
    });
  }
  return facts;
}

/** How many changes into a health state the service had since `from` (inclusive). */
export async function countChangesSince(db: Executor, serviceId: string, from: number): Promise<number> {
  const row = await db.selectFrom('service_events').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('service_id', '=', serviceId).where('at', '>=', from).where('to_state', 'in', flappingStates).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function lastChangeAt(db: Executor, serviceId: string): Promise<number | null> {
  const row = await db.selectFrom('service_events').select((eb) => eb.fn.max('at').as('at'))
    .where('service_id', '=', serviceId).executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}
