// Business rules of maintenance windows: who may manage them, validation, CRUD. Windows belong to
// the namespace of what they cover; editors of that namespace manage them, viewers read them.
import { randomUUID } from 'node:crypto';
import { requireRole, visibleNamespaceIds, type Actor } from '../auth/actor.js';
import { notFound } from '../domain/errors.js';
import type { DataAccess } from '../store/data-access.js';
import { normalizeTiming, type CreateMaintenanceInput, type UpdateMaintenanceInput } from './maintenance-input.js';
import { MaintenanceRepository } from './maintenance-repository.js';
import type { MaintenanceScope, MaintenanceWindow } from './maintenance-window.js';

/** What a window covers, resolved from a path by the caller. */
export interface MaintenanceTarget {
  scope: MaintenanceScope;
  scopeId: string;
  namespaceId: string;
}

export class MaintenanceService {
  constructor(private readonly data: DataAccess, private readonly now: () => number, private readonly onChange: () => void = () => {}) {}

  private get repo(): MaintenanceRepository {
    return new MaintenanceRepository(this.data.db);
  }

  async list(actor: Actor, namespaceId?: string): Promise<MaintenanceWindow[]> {
    if (namespaceId) requireRole(actor, namespaceId, 'viewer');
    return this.repo.list(namespaceId ? [namespaceId] : visibleNamespaceIds(actor));
  }

  async get(actor: Actor, id: string): Promise<MaintenanceWindow> {
    const window = await this.repo.findById(id);
    if (!window) throw notFound('maintenance window');
    requireRole(actor, window.namespaceId, 'viewer');
    return window;
  }

  async create(actor: Actor, target: MaintenanceTarget, input: Omit<CreateMaintenanceInput, 'target'>, managedBy: string | null = null): Promise<MaintenanceWindow> {
    requireRole(actor, target.namespaceId, 'editor');
    const timing = normalizeTiming(input);
    const now = this.now();
    const id = randomUUID();
    await this.repo.insert({
      id, namespace_id: target.namespaceId, scope: target.scope, scope_id: target.scopeId, title: input.title,
      description: input.description ?? null, starts_at: timing.startsAt, ends_at: timing.endsAt, cron: timing.cron,
      duration_ms: timing.durationMs, time_zone: timing.timeZone, managed_by: managedBy, created_at: now, updated_at: now,
    });
    this.onChange();
    return (await this.repo.findById(id))!;
  }

  async update(actor: Actor, id: string, input: Omit<UpdateMaintenanceInput, 'target'>, target?: MaintenanceTarget): Promise<MaintenanceWindow> {
    const current = await this.get(actor, id);
    requireRole(actor, current.namespaceId, 'editor');
    if (target) requireRole(actor, target.namespaceId, 'editor');
    const has = (key: keyof typeof input) => Object.prototype.hasOwnProperty.call(input, key);
    const cron = has('cron') ? input.cron ?? null : current.cron;
    // Turning a recurring window into a one-off drops its recurring-only fields.
    const keepRecurring = cron !== null;
    const timing = normalizeTiming({
      startsAt: has('startsAt') ? input.startsAt : current.startsAt,
      endsAt: has('endsAt') ? input.endsAt : current.endsAt,
      cron,
      duration: has('duration') ? input.duration : keepRecurring && current.durationMs !== null ? current.durationMs / 1000 : null,
      timeZone: has('timeZone') ? input.timeZone : keepRecurring ? current.timeZone : null,
    });
    await this.repo.update(id, {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description }),
      ...(target && { namespace_id: target.namespaceId, scope: target.scope, scope_id: target.scopeId }),
      starts_at: timing.startsAt, ends_at: timing.endsAt, cron: timing.cron, duration_ms: timing.durationMs,
      time_zone: timing.timeZone, updated_at: this.now(),
    });
    this.onChange();
    return (await this.repo.findById(id))!;
  }

  async delete(actor: Actor, id: string): Promise<void> {
    const current = await this.get(actor, id);
    requireRole(actor, current.namespaceId, 'editor');
    await this.repo.delete(id);
    this.onChange();
  }
}
