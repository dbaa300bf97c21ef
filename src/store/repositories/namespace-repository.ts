import type { Namespace } from '../../domain/catalog.js';
import type { Executor } from '../executor.js';
import type { NamespaceTable } from '../schema.js';

function toNamespace(row: NamespaceTable): Namespace {
  return {
    id: row.id, slug: row.slug, path: row.slug, name: row.name, description: row.description,
    managedBy: row.managed_by, createdAt: Number(row.created_at), updatedAt: Number(row.updated_at),
  };
}

export class NamespaceRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: NamespaceTable): Promise<Namespace> {
    await this.db.insertInto('namespaces').values(row).execute();
    return toNamespace(row);
  }

  async update(id: string, changes: Partial<Omit<NamespaceTable, 'id' | 'created_at'>>): Promise<void> {
    await this.db.updateTable('namespaces').set(changes).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('namespaces').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async findById(id: string): Promise<Namespace | undefined> {
    const row = await this.db.selectFrom('namespaces').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toNamespace(row);
  }

  async findBySlug(slug: string): Promise<Namespace | undefined> {
    const row = await this.db.selectFrom('namespaces').selectAll().where('slug', '=', slug).executeTakeFirst();
    return row && toNamespace(row);
  }

  /** Lists namespaces by slug; `onlyIds` limits the list to those a user may see. */
  async list(options: { limit: number; offset: number; onlyIds?: string[] }): Promise<{ items: Namespace[]; total: number }> {
    if (options.onlyIds && options.onlyIds.length === 0) return { items: [], total: 0 };
    let query = this.db.selectFrom('namespaces');
    if (options.onlyIds) query = query.where('id', 'in', options.onlyIds);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('slug').limit(options.limit).offset(options.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toNamespace), total: Number(count.n) };
  }

  async listManagedBy(owner: string): Promise<Namespace[]> {
    const rows = await this.db.selectFrom('namespaces').selectAll().where('managed_by', '=', owner).execute();
    return rows.map(toNamespace);
  }
}
