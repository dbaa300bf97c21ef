// Business rules for notification channels: who may see and change them (viewer / editor of the
// channel's namespace), config validation against the notifier's schema, routes limited to the
// channel's own namespace, test sends and the deliveries log.
import { randomUUID } from 'node:crypto';
import { requireRole, visibleNamespaceIds, type Actor } from '../auth/actor.js';
import { AppError, badRequest, conflict, notFound } from '../domain/errors.js';
import { parsePath } from '../domain/slug-path.js';
import { getNotifier, validateNotifierConfig } from '../notifiers/registry.js';
import type { DataAccess } from '../store/data-access.js';
import { isUniqueViolation, toJson } from '../store/executor.js';
import { alertService, buildAlertEvent } from './alert-event.js';
import { defaultPolicy, type Channel, type ChannelRoute } from './channel.js';
import { applyPolicyInput, type CreateChannelInput, type RouteInput, type UpdateChannelInput } from './channel-input.js';
import { attemptDelivery, type AttemptOutcome } from './deliver.js';
import { recordAttempts } from './record-attempt.js';
import type { SecretBox } from './secret-box.js';
import { keepRedactedSecrets } from './secret-fields.js';
import { ChannelRepository } from './store/channel-repository.js';
import { OutboxRepository, type DeliveryAttempt, type OutboxItem } from './store/outbox-repository.js';

export interface ChannelServiceDeps {
  data: DataAccess;
  box: SecretBox;
  now: () => number;
  instanceId: string;
  publicUrl: string;
  attemptTimeoutMs: number;
}

export interface TestResult {
  deliveryId: number;
  outcome: AttemptOutcome;
}

function assertValidConfig(type: string, config: unknown): void {
  const problems = validateNotifierConfig(type, config);
  if (problems.length > 0) {
    const details = problems.map((p) => ({ path: `/config${p.path}`, message: p.message }));
    throw new AppError('validation_failed', `channel config is not valid: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
  }
}

export class ChannelService {
  constructor(private readonly deps: ChannelServiceDeps) {}

  private get channels(): ChannelRepository {
    return new ChannelRepository(this.deps.data.db, this.deps.box);
  }

  async create(actor: Actor, namespaceId: string, input: CreateChannelInput, managedBy: string | null = null): Promise<Channel> {
    requireRole(actor, namespaceId, 'editor');
    assertValidConfig(input.type, input.config);
    const id = randomUUID();
    try {
      await this.channels.insert({
        id, namespaceId, name: input.name, type: input.type, config: input.config,
        policy: applyPolicyInput(defaultPolicy, input), enabled: input.enabled ?? true, managedBy, at: this.deps.now(),
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`a channel named "${input.name}" exists in this namespace`);
      throw err;
    }
    return (await this.channels.findById(id))!;
  }

  async get(actor: Actor, id: string): Promise<Channel> {
    const channel = await this.channels.findById(id);
    if (!channel) throw notFound('channel');
    requireRole(actor, channel.namespaceId, 'viewer');
    return channel;
  }

  async list(actor: Actor, namespaceId?: string): Promise<Channel[]> {
    if (namespaceId) requireRole(actor, namespaceId, 'viewer');
    return this.channels.list({ namespaceIds: namespaceId ? [namespaceId] : visibleNamespaceIds(actor) });
  }

  async update(actor: Actor, id: string, input: UpdateChannelInput, managedBy?: string | null): Promise<Channel> {
    const current = await this.get(actor, id);
    requireRole(actor, current.namespaceId, 'editor');
    const type = input.type ?? current.type;
    if (input.type !== undefined && input.type !== current.type && input.config === undefined) {
      throw badRequest('changing the type of a channel needs its new config too');
    }
    const config = input.config === undefined ? undefined : keepRedactedSecrets(input.config, current.config, getNotifier(current.type)?.secretFields ?? []);
    if (config !== undefined) assertValidConfig(type, config);
    try {
      await this.channels.update(id, current.type, {
        name: input.name, type: input.type, config, enabled: input.enabled, managedBy,
        policy: applyPolicyInput(current.policy, input), at: this.deps.now(),
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`a channel named "${input.name}" exists in this namespace`);
      throw err;
    }
    return (await this.channels.findById(id))!;
  }

  async delete(actor: Actor, id: string): Promise<void> {
    const channel = await this.get(actor, id);
    requireRole(actor, channel.namespaceId, 'editor');
    await this.channels.delete(id);
  }

  async routes(channelIds: string[]): Promise<ChannelRoute[]> {
    return this.channels.listRoutes(channelIds);
  }

  /** Attaches the channel to a path inside its own namespace. */
  async addRoute(actor: Actor, channelId: string, input: RouteInput): Promise<ChannelRoute> {
    const channel = await this.get(actor, channelId);
    requireRole(actor, channel.namespaceId, 'editor');
    const scope = await this.resolveScope(channel.namespaceId, input.path);
    const id = randomUUID();
    await this.channels.insertRoute({
      id, channel_id: channel.id, namespace_id: channel.namespaceId, project_id: scope.projectId, service_id: scope.serviceId,
      tags: toJson([...new Set(input.tags ?? [])].sort()), created_at: this.deps.now(),
    });
    return (await this.channels.listRoutes([channel.id])).find((r) => r.id === id)!;
  }

  async removeRoute(actor: Actor, channelId: string, routeId: string): Promise<void> {
    const channel = await this.get(actor, channelId);
    requireRole(actor, channel.namespaceId, 'editor');
    if (!(await this.channels.deleteRoute(channel.id, routeId))) throw notFound('route');
  }

  private async resolveScope(namespaceId: string, path: string): Promise<{ projectId: string | null; serviceId: string | null }> {
    const parsed = parsePath(path);
    if (!parsed) throw badRequest(`route path "${path}" must be "namespace", "namespace/project" or "namespace/project/service"`);
    const repos = this.deps.data.repos;
    const ns = await repos.namespaces.findBySlug(parsed.namespace);
    if (!ns || ns.id !== namespaceId) throw badRequest(`route path "${path}" must be inside the channel's own namespace`);
    if (!parsed.project) return { projectId: null, serviceId: null };
    if (parsed.service) {
      const service = await repos.services.findBySlugs(parsed.namespace, parsed.project, parsed.service);
      if (!service) throw notFound(`service "${path}"`);
      return { projectId: service.projectId, serviceId: service.id };
    }
    const project = await repos.projects.findBySlugs(parsed.namespace, parsed.project);
    if (!project) throw notFound(`project "${path}"`);
    return { projectId: project.id, serviceId: null };
  }

  /**
   * Sends a 'test' message now, once, without retries (the caller wants an answer), and logs it in
   * the deliveries like any other. `servicePath` picks a real service for the message.
   */
  async sendTest(actor: Actor, channelId: string, servicePath?: string): Promise<TestResult> {
    const channel = await this.get(actor, channelId);
    requireRole(actor, channel.namespaceId, 'editor');
    const service = await this.testService(channel, servicePath);
    const now = this.deps.now();
    const event = buildAlertEvent({
      kind: 'test', service, state: 'up', previousState: 'up', cause: null, at: now, since: null, incident: null, publicUrl: this.deps.publicUrl,
    });
    const outbox = new OutboxRepository(this.deps.data.db, this.deps.data.dialect);
    const deliveryId = await outbox.insertOne({
      channelId: channel.id, serviceId: service.id === 'test' ? null : service.id, event, dedupKey: null, at: now,
      claimedBy: this.deps.instanceId, claimExpiresAt: now + this.deps.attemptTimeoutMs * 2,
    });
    const outcome = await attemptDelivery(channel, event, { now: this.deps.now, timeoutMs: this.deps.attemptTimeoutMs });
    await recordAttempts(this.deps.data, this.deps.box, [
      { outboxId: deliveryId, channelId: channel.id, instanceId: this.deps.instanceId, outcome, decision: { status: outcome.ok ? 'sent' : 'failed' } },
    ]);
    return { deliveryId, outcome };
  }

  private async testService(channel: Channel, servicePath?: string) {
    if (servicePath) {
      const parsed = parsePath(servicePath);
      const found = parsed?.project && parsed.service ? await this.deps.data.repos.services.findBySlugs(parsed.namespace, parsed.project, parsed.service) : undefined;
      if (!found || found.namespaceId !== channel.namespaceId) throw notFound(`service "${servicePath}" in the channel's namespace`);
      return alertService(found);
    }
    const ns = await this.deps.data.repos.namespaces.findById(channel.namespaceId);
    return { id: 'test', path: `${ns?.slug ?? 'namespace'}/example/test-service`, name: 'Test service', kind: 'check' as const, target: null };
  }

  async deliveries(actor: Actor, channelId: string, page: { limit: number; beforeId?: number }): Promise<(OutboxItem & { attemptLog: DeliveryAttempt[] })[]> {
    const channel = await this.get(actor, channelId);
    const outbox = new OutboxRepository(this.deps.data.db, this.deps.data.dialect);
    const items = await outbox.listForChannel(channel.id, page);
    const attempts = await outbox.attemptsFor(items.map((i) => i.id));
    return items.map((item) => ({ ...item, attemptLog: attempts.filter((a) => a.outboxId === item.id) }));
  }
}
