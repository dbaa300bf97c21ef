// What alerting needs to know about a service beyond the state change: its project (for routing),
// tags (for route filters) and config (for the message's target).
import type { ServiceKind } from '../../domain/service-state.js';
import { fromJson, type Executor } from '../../store/executor.js';
import type { ServiceFacts } from '../alert-event.js';

export async function loadServiceFacts(db: Executor, serviceIds: string[]): Promise<Map<string, ServiceFacts>> {
  const facts = new Map<string, ServiceFacts>();
  if (serviceIds.length === 0) return facts;
  const rows = await db.selectFrom('services')
    .innerJoin('projects', 'projects.id', 'services.project_id')
    .innerJoin('namespaces', 'namespaces.id', 'services.namespace_id')
    .select(['services.id', 'services.namespace_id', 'services.project_id', 'services.slug', 'services.name', 'services.kind', 'services.config',
      'namespaces.slug as ns_slug', 'projects.slug as project_slug'])
    .where('services.id', 'in', serviceIds)
    .execute();
  const tags = await db.selectFrom('service_tags').selectAll().where('service_id', 'in', serviceIds).execute();
  for (const r of rows) {
    facts.set(r.id, {
      id: r.id, namespaceId: r.namespace_id, projectId: r.project_id, path: `${r.ns_slug}/${r.project_slug}/${r.slug}`,
      name: r.name, kind: r.kind as ServiceKind, config: fromJson(r.config, {}),
      tags: tags.filter((t) => t.service_id === r.id).map((t) => t.tag),
    });
  }
  return facts;
}

/** States that count for flapping: the service's own health, not pauses or maintenance. */
export const flappingStates = ['up', 'down', 'pending', 'late'];

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
