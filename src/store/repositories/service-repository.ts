import type { Service } from '../../domain/catalog.js';
import type { ServiceKind, ServiceState } from '../../domain/service-state.js';
import { fromJson, type Executor } from '../executor.js';
import type { ServiceTable } from '../schema.js';

type ServiceRow = ServiceTable & { namespace_slug: string; project_slug: string };

export interface ServiceFilter {
  namespaceId?: string;
  projectId?: string;
  kind?: ServiceKind;
  state?: ServiceState;
  tag?: string;
  onlyNamespaceIds?: string[];
}

function toService(row: ServiceRow, tags: string[]): Service {
  return {
    id: row.id, projectId: row.project_id, namespaceId: row.namespace_id, slug: row.slug,
    path: `${row.namespace_slug}/${row.project_slug}/${row.slug}`,
    name: row.name, description: row.description, kind: row.kind as ServiceKind, checkType: row.check_type,
    config: fromJson(row.config, {}),
    intervalMs: Number(row.interval_ms), timeoutMs: Number(row.timeout_ms), retries: Number(row.retries),
    retryIntervalMs: Number(row.retry_interval_ms), upsideDown: Boolean(row.upside_down), paused: Boolean(row.paused),
    tags, state: row.state as ServiceState,
    stateChangedAt: row.state_changed_at === null ? null : Number(row.state_changed_at),
    consecutiveFailures: Number(row.consecutive_failures),
    lastCheckedAt: row.last_checked_at === null ? null : Number(row.last_checked_at),
    lastLatencyMs: row.last_latency_ms === null ? null : Number(row.last_latency_ms),
    lastDetail: row.last_detail, managedBy: row.managed_by,
    createdAt: Number(row.created_at), updatedAt: Number(row.updated_at),
  };
}

export class ServiceRepository {
  constructor(private readonly db: Executor) {}

  private base() {
    return this.db.selectFrom('services')
      .innerJoin('projects', 'projects.id', 'services.project_id')
      .innerJoin('namespaces', 'namespaces.id', 'services.namespace_id')
      .selectAll('services')
      .select(['namespaces.slug as namespace_slug', 'projects.slug as project_slug']);
  }

  private async withTags(rows: ServiceRow[]): Promise<Service[]> {
    if (rows.length === 0) return [];
    const tagRows = await this.db.selectFrom('service_tags').selectAll()
      .where('service_id', 'in', rows.map((r) => r.id)).orderBy('tag').execute();
    const byService = new Map<string, string[]>();
    for (const t of tagRows) byService.set(t.service_id, [...(byService.get(t.service_id) ?? []), t.tag]);
    return rows.map((r) => toService(r, byService.get(r.id) ?? []));
  }

  async insert(row: ServiceTable, tags: string[]): Promise<void> {
    await this.db.insertInto('services').values(row).execute();
    await this.replaceTags(row.id, tags);
  }

  async update(id: string, changes: Partial<Omit<ServiceTable, 'id' | 'created_at'>>): Promise<void> {
    await this.db.updateTable('services').set(changes).where('id', '=', id).execute();
  }

  async replaceTags(serviceId: string, tags: string[]): Promise<void> {
    await this.db.deleteFrom('service_tags').where('service_id', '=', serviceId).execute();
    const unique = [...new Set(tags)];
    if (unique.length > 0) {
      await this.db.insertInto('service_tags').values(unique.map((tag) => ({ service_id: serviceId, tag }))).execute();
    }
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('services').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async findById(id: string): Promise<Service | undefined> {
    const row = await this.base().where('services.id', '=', id).executeTakeFirst();
    return row ? (await this.withTags([row]))[0] : undefined;
  }

  async findByIds(ids: string[]): Promise<Service[]> {
    if (ids.length === 0) return [];
    return this.withTags(await this.base().where('services.id', 'in', ids).execute());
  }

  async findBySlugs(namespaceSlug: string, projectSlug: string, serviceSlug: string): Promise<Service | undefined> {
    const row = await this.base()
      .where('namespaces.slug', '=', namespaceSlug)
      .where('projects.slug', '=', projectSlug)
      .where('services.slug', '=', serviceSlug)
      .executeTakeFirst();
    return row ? (await this.withTags([row]))[0] : undefined;
  }

  async list(filter: ServiceFilter, page: { limit: number; offset: number }): Promise<{ items: Service[]; total: number }> {
    if (filter.onlyNamespaceIds && filter.onlyNamespaceIds.length === 0) return { items: [], total: 0 };
    let q = this.db.selectFrom('services')
      .innerJoin('projects', 'projects.id', 'services.project_id')
      .innerJoin('namespaces', 'namespaces.id', 'services.namespace_id');
    if (filter.namespaceId) q = q.where('services.namespace_id', '=', filter.namespaceId);
    if (filter.projectId) q = q.where('services.project_id', '=', filter.projectId);
    if (filter.kind) q = q.where('services.kind', '=', filter.kind);
    if (filter.state) q = q.where('services.state', '=', filter.state);
    if (filter.onlyNamespaceIds) q = q.where('services.namespace_id', 'in', filter.onlyNamespaceIds);
    if (filter.tag) {
      const tag = filter.tag;
      q = q.where('services.id', 'in', (eb) => eb.selectFrom('service_tags').select('service_id').where('tag', '=', tag));
    }
    const [rows, count] = await Promise.all([
      q.selectAll('services').select(['namespaces.slug as namespace_slug', 'projects.slug as project_slug'])
        .orderBy('namespaces.slug').orderBy('projects.slug').orderBy('services.slug')
        .limit(page.limit).offset(page.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: await this.withTags(rows), total: Number(count.n) };
  }

  async listManagedBy(owner: string): Promise<Service[]> {
    return this.withTags(await this.base().where('services.managed_by', '=', owner).execute());
  }

  async countByState(onlyNamespaceIds?: string[]): Promise<Record<string, number>> {
    let q = this.db.selectFrom('services').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state');
    if (onlyNamespaceIds) {
      if (onlyNamespaceIds.length === 0) return {};
      q = q.where('namespace_id', 'in', onlyNamespaceIds);
    }
    const rows = await q.execute();
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }
}
