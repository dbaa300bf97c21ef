// Storage of maintenance windows. `listUpcoming` is what status pages use to announce them.
import type { Executor } from '../store/executor.js';
import './maintenance-tables.js';
import type { MaintenanceWindowTable } from './maintenance-tables.js';
import { occurrencesBetween, type MaintenanceScope, type MaintenanceWindow, type Occurrence } from './maintenance-window.js';

export function toMaintenanceWindow(row: MaintenanceWindowTable): MaintenanceWindow {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: row.id, namespaceId: row.namespace_id, scope: row.scope as MaintenanceScope, scopeId: row.scope_id,
    title: row.title, description: row.description, startsAt: num(row.starts_at), endsAt: num(row.ends_at),
    cron: row.cron, durationMs: num(row.duration_ms), timeZone: row.time_zone, managedBy: row.managed_by,
    createdAt: Number(row.created_at), updatedAt: Number(row.updated_at),
  };
}

export interface UpcomingMaintenance extends Occurrence {
  window: MaintenanceWindow;
}

export class MaintenanceRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: MaintenanceWindowTable): Promise<void> {
    await this.db.insertInto('maintenance_windows').values(row).execute();
  }

  async update(id: string, changes: Partial<Omit<MaintenanceWindowTable, 'id' | 'created_at'>>): Promise<void> {
    await this.db.updateTable('maintenance_windows').set(changes).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('maintenance_windows').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async findById(id: string): Promise<MaintenanceWindow | undefined> {
    const row = await this.db.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toMaintenanceWindow(row);
  }

  /** Every window, or those of some namespaces (undefined: all). */
  async list(namespaceIds?: string[]): Promise<MaintenanceWindow[]> {
    if (namespaceIds && namespaceIds.length === 0) return [];
    let q = this.db.selectFrom('maintenance_windows').selectAll();
    if (namespaceIds) q = q.where('namespace_id', 'in', namespaceIds);
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return rows.map(toMaintenanceWindow);
  }

  async listManagedBy(owner: string): Promise<MaintenanceWindow[]> {
    const rows = await this.db.selectFrom('maintenance_windows').selectAll().where('managed_by', '=', owner).execute();
    return rows.map(toMaintenanceWindow);
  }

  /**
   * Occurrences of a namespace's windows (any scope inside it) overlapping [from, to), soonest
   * first; an occurrence in progress at `from` is included.
   */
  async listUpcoming(namespaceId: string, from: number, to: number): Promise<UpcomingMaintenance[]> {
    const windows = await this.list([namespaceId]);
    const out = windows.flatMap((window) => occurrencesBetween(window, from, to).map((o) => ({ ...o, window })));
    return out.sort((a, b) => a.start - b.start || a.windowId.localeCompare(b.windowId));
  }
}
