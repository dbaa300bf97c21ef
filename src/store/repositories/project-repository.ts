import type { Project } from '../../domain/catalog.js';
import type { Executor } from '../executor.js';
import type { ProjectTable } from '../schema.js';

type ProjectRow = ProjectTable & { namespace_slug: string };

function toProject(row: ProjectRow): Project {
  return {
    id: row.id, namespaceId: row.namespace_id, slug: row.slug, path: `${row.namespace_slug}/${row.slug}`,
    name: row.name, description: row.description, managedBy: row.managed_by,
    createdAt: Number(row.created_at), updatedAt: Number(row.updated_at),
  };
}

export class ProjectRepository {
  constructor(private readonly db: Executor) {}

  private base() {
    return this.db.selectFrom('projects')
      .innerJoin('namespaces', 'namespaces.id', 'projects.namespace_id')
      .selectAll('projects')
      .select('namespaces.slug as namespace_slug');
  }

  async insert(row: ProjectTable): Promise<void> {
    await this.db.insertInto('projects').values(row).execute();
  }

  async update(id: string, changes: Partial<Omit<ProjectTable, 'id' | 'created_at'>>): Promise<void> {
    await this.db.updateTable('projects').set(changes).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('projects').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async findById(id: string): Promise<Project | undefined> {
    const row = await this.base().where('projects.id', '=', id).executeTakeFirst();
    return row && toProject(row);
  }

  async findBySlugs(namespaceSlug: string, projectSlug: string): Promise<Project | undefined> {
    const row = await this.base()
      .where('namespaces.slug', '=', namespaceSlug)
      .where('projects.slug', '=', projectSlug)
      .executeTakeFirst();
    return row && toProject(row);
  }

  async list(options: { limit: number; offset: number; namespaceId?: string; onlyNamespaceIds?: string[] }): Promise<{ items: Project[]; total: number }> {
    if (options.onlyNamespaceIds && options.onlyNamespaceIds.length === 0) return { items: [], total: 0 };
    let filtered = this.db.selectFrom('projects').innerJoin('namespaces', 'namespaces.id', 'projects.namespace_id');
    if (options.namespaceId) filtered = filtered.where('projects.namespace_id', '=', options.namespaceId);
    if (options.onlyNamespaceIds) filtered = filtered.where('projects.namespace_id', 'in', options.onlyNamespaceIds);
    const [rows, count] = await Promise.all([
      filtered.selectAll('projects').select('namespaces.slug as namespace_slug')
        .orderBy('namespaces.slug').orderBy('projects.slug').limit(options.limit).offset(options.offset).execute(),
      filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toProject), total: Number(count.n) };
  }

  async listManagedBy(owner: string): Promise<Project[]> {
    const rows = await this.base().where('projects.managed_by', '=', owner).execute();
    return rows.map(toProject);
  }
}
