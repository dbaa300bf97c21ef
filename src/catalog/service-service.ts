// Business rules for services (active checks and heartbeats): creation, validation of their
// type-specific config, pausing, and deletion. Callable from the API, the config file and bots.
import { randomUUID } from 'node:crypto';
import { requireRole, visibleNamespaceIds, type Actor } from '../auth/actor.js';
import type { Service } from '../domain/catalog.js';
import { parseDuration } from '../domain/duration.js';
import { conflict, notFound } from '../domain/errors.js';
import { slugify } from '../domain/slug-path.js';
import type { ServiceKind, ServiceState } from '../domain/service-state.js';
import type { DataAccess } from '../store/data-access.js';
import { isUniqueViolation, toJson } from '../store/executor.js';
import type { ServiceTable } from '../store/schema.js';
import type { CatalogEvents } from './catalog-events.js';
import { normalizeService, type CreateServiceInput, type UpdateServiceInput } from './service-input.js';
import type { StateTransitions } from './state-transitions.js';

export interface ServiceListFilter {
  namespaceId?: string;
  projectId?: string;
  kind?: ServiceKind;
  state?: ServiceState;
  tag?: string;
}

export class ServiceService {
  constructor(
    private readonly data: DataAccess,
    private readonly transitions: StateTransitions,
    private readonly events: CatalogEvents,
    private readonly now: () => number,
  ) {}

  async create(actor: Actor, projectId: string, input: CreateServiceInput, managedBy: string | null = null): Promise<Service> {
    const project = await this.data.repos.projects.findById(projectId);
    if (!project) throw notFound('project');
    requireRole(actor, project.namespaceId, 'editor');
    const normalized = normalizeService(input);
    const now = this.now();
    const id = randomUUID();
    const slug = input.slug ?? slugify(input.name);
    const paused = input.paused ?? false;
    const row: ServiceTable = {
      id, project_id: project.id, namespace_id: project.namespaceId, slug, name: input.name,
      description: input.description ?? null, kind: normalized.kind, check_type: normalized.checkType,
      config: toJson(normalized.config), interval_ms: normalized.intervalMs, timeout_ms: normalized.timeoutMs,
      retries: normalized.retries, retry_interval_ms: normalized.retryIntervalMs,
      upside_down: input.upsideDown ? 1 : 0, paused: paused ? 1 : 0,
      state: paused ? 'paused' : 'unknown', state_changed_at: now, consecutive_failures: 0,
      last_checked_at: null, last_latency_ms: null, last_detail: null, managed_by: managedBy,
      created_at: now, updated_at: now,
    };
    try {
      await this.data.transaction((repos) => repos.services.insert(row, input.tags ?? []));
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`service "${project.path}/${slug}" already exists`);
      throw err;
    }
    this.events.emit({ kind: 'service-upserted', serviceId: id });
    return (await this.data.repos.services.findById(id))!;
  }

  async get(actor: Actor, id: string): Promise<Service> {
    const service = await this.data.repos.services.findById(id);
    if (!service) throw notFound('service');
    requireRole(actor, service.namespaceId, 'viewer');
    return service;
  }

  async getBySlugs(actor: Actor, ns: string, project: string, slug: string): Promise<Service> {
    const service = await this.data.repos.services.findBySlugs(ns, project, slug);
    if (!service) throw notFound(`service "${ns}/${project}/${slug}"`);
    requireRole(actor, service.namespaceId, 'viewer');
    return service;
  }

  async list(actor: Actor, filter: ServiceListFilter, page: { limit: number; offset: number }) {
    return this.data.repos.services.list({ ...filter, onlyNamespaceIds: visibleNamespaceIds(actor) }, page);
  }

  async update(actor: Actor, id: string, input: UpdateServiceInput, managedBy?: string | null): Promise<Service> {
    const current = await this.get(actor, id);
    requireRole(actor, current.namespaceId, 'editor');
    const typeChanged = input.type !== undefined && input.type !== (current.checkType ?? 'heartbeat');
    const type = input.type ?? current.checkType ?? 'heartbeat';
    const seconds = (ms: number) => ms / 1000;
    // Unchanged timing fields keep their values; a kept timeout is clamped to a shorter new interval.
    const interval = input.interval ?? seconds(current.intervalMs);
    const keepTiming = current.kind === 'check' && type !== 'heartbeat';
    const normalized = normalizeService({
      type,
      config: input.config ?? (typeChanged ? {} : current.config),
      interval,
      timeout: input.timeout ?? (keepTiming ? seconds(Math.min(current.timeoutMs, parseDuration(interval) ?? current.timeoutMs)) : undefined),
      retries: input.retries ?? current.retries,
      retryInterval: input.retryInterval ?? (keepTiming ? seconds(current.retryIntervalMs) : undefined),
    });
    const now = this.now();
    await this.data.transaction(async (repos, trx) => {
      const changes: Partial<ServiceTable> = {
        ...(input.slug !== undefined && { slug: input.slug }),
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.upsideDown !== undefined && { upside_down: input.upsideDown ? 1 : 0 }),
        ...(managedBy !== undefined && { managed_by: managedBy }),
        kind: normalized.kind, check_type: normalized.checkType, config: toJson(normalized.config),
        interval_ms: normalized.intervalMs, timeout_ms: normalized.timeoutMs, retries: normalized.retries,
        retry_interval_ms: normalized.retryIntervalMs, updated_at: now,
      };
      if (input.paused !== undefined && input.paused !== current.paused) {
        Object.assign(changes, await this.pauseChanges(current, input.paused, now, repos, trx));
      }
      try {
        await repos.services.update(id, changes);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(`slug "${input.slug}" is taken in this project`);
        throw err;
      }
      if (input.tags !== undefined) await repos.services.replaceTags(id, input.tags);
    });
    this.events.emit({ kind: 'service-upserted', serviceId: id });
    return (await this.data.repos.services.findById(id))!;
  }

  async setPaused(actor: Actor, id: string, paused: boolean): Promise<Service> {
    return this.update(actor, id, { paused });
  }

  /** Pausing is a state change (recorded as an event); resuming starts again from `unknown`. */
  private async pauseChanges(current: Service, paused: boolean, now: number, repos: Parameters<Parameters<DataAccess['transaction']>[0]>[0], trx: Parameters<Parameters<DataAccess['transaction']>[0]>[1]): Promise<Partial<ServiceTable>> {
    const to: ServiceState = paused ? 'paused' : 'unknown';
    await this.transitions.record({
      service: current, from: current.state, to, at: now, cause: paused ? 'paused' : 'resumed',
      resolveIncident: paused,
    }, repos, trx);
    return { paused: paused ? 1 : 0, state: to, state_changed_at: now, consecutive_failures: 0 };
  }

  async delete(actor: Actor, id: string): Promise<void> {
    const service = await this.get(actor, id);
    requireRole(actor, service.namespaceId, 'editor');
    await this.data.transaction(async (repos) => {
      await repos.services.delete(id);
      await repos.results.deleteForService(id);
    });
    this.events.emit({ kind: 'service-deleted', serviceId: id });
  }
}
