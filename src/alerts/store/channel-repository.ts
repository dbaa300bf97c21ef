// Channels and their routes. Secret fields are encrypted on the way in and decrypted on the way
// out, so nothing above this layer sees ciphertext and nothing below it sees plaintext secrets.
import { getNotifier } from '../../notifiers/registry.js';
import { fromJson, toJson, type Executor } from '../../store/executor.js';
import { defaultPolicy, type Channel, type ChannelPolicy, type ChannelRoute } from '../channel.js';
import type { SecretBox } from '../secret-box.js';
import { mergeSecrets, splitSecrets } from '../secret-fields.js';
import type { ChannelRouteTable, NotificationChannelTable } from './tables.js';

export interface NewChannel {
  id: string;
  namespaceId: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  policy: ChannelPolicy;
  enabled: boolean;
  managedBy: string | null;
  at: number;
}

export interface RoutedChannel {
  channel: Channel;
  projectId: string | null;
  serviceId: string | null;
  tags: string[];
}

export type ChannelChanges = Partial<Pick<NewChannel, 'name' | 'type' | 'config' | 'policy' | 'enabled' | 'managedBy'>> & { at: number };

export class ChannelRepository {
  constructor(private readonly db: Executor, private readonly box: SecretBox) {}

  private secretColumns(id: string, type: string, config: Record<string, unknown>) {
    const { plain, secrets } = splitSecrets(config, getNotifier(type)?.secretFields ?? []);
    const sealed = Object.keys(secrets).length > 0 ? this.box.seal(JSON.stringify(secrets), id) : null;
    return { config: toJson(plain), secret_config: sealed };
  }

  private toChannel(row: NotificationChannelTable): Channel {
    const secrets = row.secret_config ? JSON.parse(this.box.open(row.secret_config, row.id)) as Record<string, unknown> : {};
    return {
      id: row.id, namespaceId: row.namespace_id, name: row.name, type: row.type,
      config: mergeSecrets(fromJson(row.config, {}), secrets),
      policy: { ...defaultPolicy, ...fromJson<Partial<ChannelPolicy>>(row.policy, {}) },
      enabled: Boolean(row.enabled), managedBy: row.managed_by, lastError: row.last_error,
      lastErrorAt: row.last_error_at === null ? null : Number(row.last_error_at),
      lastSuccessAt: row.last_success_at === null ? null : Number(row.last_success_at),
      createdAt: Number(row.created_at), updatedAt: Number(row.updated_at),
    };
  }

  async insert(c: NewChannel): Promise<void> {
    await this.db.insertInto('notification_channels').values({
      id: c.id, namespace_id: c.namespaceId, name: c.name, type: c.type, ...this.secretColumns(c.id, c.type, c.config),
      policy: toJson(c.policy), enabled: c.enabled ? 1 : 0, managed_by: c.managedBy,
      last_error: null, last_error_at: null, last_success_at: null, created_at: c.at, updated_at: c.at,
    }).execute();
  }

  /** `changes.config` must come with `changes.type` when the type changes (secrets depend on it). */
  async update(id: string, type: string, changes: ChannelChanges): Promise<void> {
    await this.db.updateTable('notification_channels').set({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.type !== undefined && { type: changes.type }),
      ...(changes.config !== undefined && this.secretColumns(id, changes.type ?? type, changes.config)),
      ...(changes.policy !== undefined && { policy: toJson(changes.policy) }),
      ...(changes.enabled !== undefined && { enabled: changes.enabled ? 1 : 0 }),
      ...(changes.managedBy !== undefined && { managed_by: changes.managedBy }),
      updated_at: changes.at,
    }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('notification_channels').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async findById(id: string): Promise<Channel | undefined> {
    const row = await this.db.selectFrom('notification_channels').selectAll().where('id', '=', id).executeTakeFirst();
    return row && this.toChannel(row);
  }

  async findByIds(ids: string[]): Promise<Channel[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('notification_channels').selectAll().where('id', 'in', ids).execute();
    return rows.map((r) => this.toChannel(r));
  }

  async findByName(namespaceId: string, name: string): Promise<Channel | undefined> {
    const row = await this.db.selectFrom('notification_channels').selectAll()
      .where('namespace_id', '=', namespaceId).where('name', '=', name).executeTakeFirst();
    return row && this.toChannel(row);
  }

  async list(filter: { namespaceIds?: string[]; managedBy?: string; enabled?: boolean }): Promise<Channel[]> {
    if (filter.namespaceIds && filter.namespaceIds.length === 0) return [];
    let q = this.db.selectFrom('notification_channels').selectAll();
    if (filter.namespaceIds) q = q.where('namespace_id', 'in', filter.namespaceIds);
    if (filter.managedBy !== undefined) q = q.where('managed_by', '=', filter.managedBy);
    if (filter.enabled !== undefined) q = q.where('enabled', '=', filter.enabled ? 1 : 0);
    const rows = await q.orderBy('name').orderBy('id').execute();
    return rows.map((r) => this.toChannel(r));
  }

  /** Records how the latest delivery went, for the channel's "last error" display. */
  async recordOutcome(id: string, at: number, error: string | null): Promise<void> {
    const set = error === null ? { last_success_at: at } : { last_error: error, last_error_at: at };
    await this.db.updateTable('notification_channels').set(set).where('id', '=', id).execute();
  }

  async insertRoute(route: ChannelRouteTable): Promise<void> {
    await this.db.insertInto('channel_routes').values(route).execute();
  }

  async deleteRoute(channelId: string, routeId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('channel_routes').where('id', '=', routeId).where('channel_id', '=', channelId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteRoutes(channelId: string): Promise<void> {
    await this.db.deleteFrom('channel_routes').where('channel_id', '=', channelId).execute();
  }

  /** Routes with their slug paths, oldest first. */
  async listRoutes(channelIds: string[]): Promise<ChannelRoute[]> {
    if (channelIds.length === 0) return [];
    const rows = await this.db.selectFrom('channel_routes')
      .innerJoin('namespaces', 'namespaces.id', 'channel_routes.namespace_id')
      .leftJoin('projects', 'projects.id', 'channel_routes.project_id')
      .leftJoin('services', 'services.id', 'channel_routes.service_id')
      .leftJoin('projects as service_projects', 'service_projects.id', 'services.project_id')
      .selectAll('channel_routes')
      .select(['namespaces.slug as ns_slug', 'projects.slug as project_slug', 'services.slug as service_slug', 'service_projects.slug as service_project_slug'])
      .where('channel_routes.channel_id', 'in', channelIds)
      .orderBy('channel_routes.created_at').orderBy('channel_routes.id')
      .execute();
    return rows.map((r) => ({
      id: r.id, channelId: r.channel_id, namespaceId: r.namespace_id, projectId: r.project_id, serviceId: r.service_id,
      path: [r.ns_slug, r.service_slug ? r.service_project_slug : r.project_slug, r.service_slug].filter(Boolean).join('/'),
      tags: fromJson<string[]>(r.tags, []), createdAt: Number(r.created_at),
    }));
  }

  /**
   * Enabled channels attached at or above a service, with the tag filters of the matching routes.
   * `routes` may come from routesOfNamespace() when many services of one namespace are routed at
   * once (a transaction of the deadline sweeper handles up to a hundred).
   */
  async routedTo(service: { id: string; namespaceId: string; projectId: string }, routes?: RoutedChannel[]): Promise<{ channel: Channel; tagFilters: string[][] }[]> {
    const all = routes ?? await this.routesOfNamespace(service.namespaceId);
    const byChannel = new Map<string, { channel: Channel; tagFilters: string[][] }>();
    for (const route of all) {
      if ((route.projectId !== null && route.projectId !== service.projectId) || (route.serviceId !== null && route.serviceId !== service.id)) continue;
      const entry = byChannel.get(route.channel.id) ?? { channel: route.channel, tagFilters: [] };
      entry.tagFilters.push(route.tags);
      byChannel.set(route.channel.id, entry);
    }
    return [...byChannel.values()];
  }

  /** Every route of the enabled channels of a namespace, with its channel (one indexed query). */
  async routesOfNamespace(namespaceId: string): Promise<RoutedChannel[]> {
    const rows = await this.db.selectFrom('channel_routes')
      .innerJoin('notification_channels', 'notification_channels.id', 'channel_routes.channel_id')
      .selectAll('notification_channels')
      .select(['channel_routes.tags as route_tags', 'channel_routes.project_id as route_project_id', 'channel_routes.service_id as route_service_id'])
      .where('channel_routes.namespace_id', '=', namespaceId)
      .where('notification_channels.enabled', '=', 1)
      .execute();
    const channels = new Map<string, Channel>();
    return rows.map((row) => {
      const { route_tags, route_project_id, route_service_id, ...channelRow } = row;
      const channel = channels.get(row.id) ?? this.toChannel(channelRow);
      channels.set(row.id, channel);
      return { channel, projectId: route_project_id, serviceId: route_service_id, tags: fromJson<string[]>(route_tags, []) };
    });
  }
}
