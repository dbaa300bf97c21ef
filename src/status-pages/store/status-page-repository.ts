// Storage of status pages.
import type { Executor } from '../../store/executor.js';
import { fromJson } from '../../store/executor.js';
import type { StatusPage, StoredGroup } from '../status-page.js';
import type { StatusPageRow, StatusPageTable } from './tables.js';

function toStatusPage(row: StatusPageRow): StatusPage {
  return {
    id: row.id, namespaceId: row.namespace_id, slug: row.slug, title: row.title, logoUrl: row.logo_url,
    description: row.description, timezone: row.timezone, customDomain: row.custom_domain,
    isFrontPage: Boolean(Number(row.is_front_page)), groups: fromJson<StoredGroup[]>(row.item_groups, []),
    managedBy: row.managed_by, createdAt: Number(row.created_at), updatedAt: Number(row.updated_at),
  };
}

export class StatusPageRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: StatusPageTable): Promise<void> {
    await this.db.insertInto('status_pages').values(row).execute();
  }

  async update(id: string, changes: Partial<Omit<StatusPageTable, 'id' | 'created_at'>>): Promise<void> {
    await this.db.updateTable('status_pages').set(changes).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('status_pages').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** At most one page is the site's front page: setting one clears the others. */
  async clearFrontPageExcept(id: string, at: number): Promise<void> {
    await this.db.updateTable('status_pages').set({ is_front_page: 0, updated_at: at })
      .where('is_front_page', '=', 1).where('id', '<>', id).execute();
  }

  async findById(id: string): Promise<StatusPage | undefined> {
    const row = await this.db.selectFrom('status_pages').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toStatusPage(row);
  }

  async findBySlug(slug: string): Promise<StatusPage | undefined> {
    const row = await this.db.selectFrom('status_pages').selectAll().where('slug', '=', slug).executeTakeFirst();
    return row && toStatusPage(row);
  }

  async listByNamespace(namespaceId: string): Promise<StatusPage[]> {
    const rows = await this.db.selectFrom('status_pages').selectAll()
      .where('namespace_id', '=', namespaceId).orderBy('slug').execute();
    return rows.map(toStatusPage);
  }

  async listManagedBy(owner: string): Promise<StatusPage[]> {
    const rows = await this.db.selectFrom('status_pages').selectAll().where('managed_by', '=', owner).execute();
    return rows.map(toStatusPage);
  }

  /** Pages reachable without their slug: by custom domain or as the front page. */
  async listRouted(): Promise<{ slug: string; customDomain: string | null; isFrontPage: boolean }[]> {
    const rows = await this.db.selectFrom('status_pages').select(['slug', 'custom_domain', 'is_front_page'])
      .where((eb) => eb.or([eb('custom_domain', 'is not', null), eb('is_front_page', '=', 1)])).execute();
    return rows.map((r) => ({ slug: r.slug, customDomain: r.custom_domain, isFrontPage: Boolean(Number(r.is_front_page)) }));
  }
}
