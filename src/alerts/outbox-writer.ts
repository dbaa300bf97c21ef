// Turns a state change into outbox rows, INSIDE the transaction of the state change: either both
// are committed or neither is, so a crash can never lose an alert or send one for a change that
// did not happen. Nothing is rendered or sent here; the dispatcher does that later.
import type { StateChange } from '../catalog/state-transitions.js';
import type { MaintenanceCache } from '../maintenance/maintenance-cache.js';
import type { DialectName } from '../store/database-url.js';
import type { Executor } from '../store/executor.js';
import { alertIncident, alertService, buildAlertEvent, type ServiceFacts } from './alert-event.js';
import { defaultPolicy, type Channel } from './channel.js';
import { alertKindFor, routeMatches, wants } from './policy.js';
import type { SecretBox } from './secret-box.js';
import { ChannelRepository, type RoutedChannel } from './store/channel-repository.js';
import { FlappingRepository, flappingKey } from './store/flapping-repository.js';
import { OutboxRepository, type NewOutboxItem } from './store/outbox-repository.js';
import { countChangesSince, flappingStates, loadServiceFacts } from './store/service-facts.js';

export interface AlertStoreDeps {
  box: SecretBox;
  dialect: DialectName;
  publicUrl: string;
  /**
   * Maintenance windows, from memory: the listener runs inside a transaction and must not query
   * outside it (SQLite has one connection). The feature refreshes it every few seconds.
   */
  maintenance?: Pick<MaintenanceCache, 'isInMaintenance'>;
}

// Routes read once per transaction and namespace: a sweeper transaction records up to a hundred
// state changes, and channels cannot change under a transaction that reads them.
const routesPerTransaction = new WeakMap<Executor, Map<string, Promise<RoutedChannel[]>>>();
// Likewise the flapping periods of those channels (kept up to date as this transaction starts some).
const flappingPerTransaction = new WeakMap<Executor, Map<string, Promise<Set<string>>>>();

function flappingKeys(trx: Executor, repo: FlappingRepository, channels: Channel[]): Promise<Set<string>> {
  const cache = flappingPerTransaction.get(trx) ?? new Map<string, Promise<Set<string>>>();
  flappingPerTransaction.set(trx, cache);
  const key = channels.map((c) => c.id).sort().join(',');
  const keys = cache.get(key) ?? repo.keysForChannels(channels.map((c) => c.id));
  cache.set(key, keys);
  return keys;
}

function routesOfNamespace(trx: Executor, repo: ChannelRepository, namespaceId: string): Promise<RoutedChannel[]> {
  const cache = routesPerTransaction.get(trx) ?? new Map<string, Promise<RoutedChannel[]>>();
  routesPerTransaction.set(trx, cache);
  const routes = cache.get(namespaceId) ?? repo.routesOfNamespace(namespaceId);
  cache.set(namespaceId, routes);
  return routes;
}

/** The enabled channels whose routes cover the service (path prefix and tag filters). */
export async function channelsFor(trx: Executor, deps: AlertStoreDeps, service: ServiceFacts, routes?: RoutedChannel[]): Promise<Channel[]> {
  const routed = await new ChannelRepository(trx, deps.box).routedTo(service, routes);
  return routed.filter((r) => r.tagFilters.some((tags) => routeMatches(tags, service.tags))).map((r) => r.channel);
}

/**
 * The outbox rows of changes recorded together, one per service: the services' facts are read in
 * one query per distinct change time and the rows inserted in one statement.
 */
export async function writeAlertsForMany(changes: StateChange[], trx: Executor, deps: AlertStoreDeps): Promise<number> {
  const channelRepo = new ChannelRepository(trx, deps.box);
  // Most namespaces' routes are read once per transaction; without any, nothing more is read.
  const routed: { change: StateChange; routes: RoutedChannel[] }[] = [];
  for (const change of changes) {
    const routes = await routesOfNamespace(trx, channelRepo, change.service.namespaceId);
    if (routes.length > 0) routed.push({ change, routes });
  }
  if (routed.length === 0) return 0;
  // The default flapping window is counted in the same query; other windows cost one more.
  const defaultWindow = defaultPolicy.flapping!.windowMs;
  const byTime = new Map<number, string[]>();
  for (const { change } of routed) {
    const serviceIds = byTime.get(change.at) ?? [];
    serviceIds.push(change.service.id);
    byTime.set(change.at, serviceIds);
  }
  const facts = new Map<number, Map<string, ServiceFacts & { recentChanges: number }>>();
  for (const [at, serviceIds] of byTime) facts.set(at, await loadServiceFacts(trx, serviceIds, { changesSince: at - defaultWindow }));
  const items: NewOutboxItem[] = [];
  for (const { change, routes } of routed) {
    const service = facts.get(change.at)!.get(change.service.id);
    if (!service || deps.maintenance?.isInMaintenance(service, change.at)) continue;
    items.push(...await itemsFor(change, service, routes, trx, deps));
  }
  return new OutboxRepository(trx, deps.dialect).enqueue(items);
}

/** What one change sends to the channels routed to its service (flapping periods started here). */
async function itemsFor(change: StateChange, service: ServiceFacts & { recentChanges: number }, routes: RoutedChannel[], trx: Executor, deps: AlertStoreDeps): Promise<NewOutboxItem[]> {
  const channels = await channelsFor(trx, deps, service, routes);
  if (channels.length === 0) return [];
  const flapping = new FlappingRepository(trx, deps.dialect);
  const flappingNow = await flappingKeys(trx, flapping, channels);
  const items: NewOutboxItem[] = [];
  const counted = new Map<number, number>([[defaultPolicy.flapping!.windowMs, service.recentChanges]]);
  const changesWithin = async (window: number) => {
    if (!flappingStates.includes(change.to)) return 0;
    // Clamped so that a policy stored before windows were bounded cannot fail the state change.
    const n = counted.get(window) ?? await countChangesSince(trx, service.id, Math.max(0, change.at - window));
    counted.set(window, n);
    return n;
  };
  const base = {
    service: alertService(service), state: change.to, previousState: change.from, cause: change.cause,
    at: change.at, incident: alertIncident(change.incident), publicUrl: deps.publicUrl,
  };
  for (const channel of channels) {
    const policy = channel.policy;
    if (policy.flapping) {
      if (flappingNow.has(flappingKey(channel.id, service.id))) continue; // silence until it settles
      const window = policy.flapping.windowMs;
      if (await changesWithin(window) > policy.flapping.changes && await flapping.start(channel.id, service.id, change.at)) {
        flappingNow.add(flappingKey(channel.id, service.id));
        if (wants(policy, 'flapping', service.kind)) {
          items.push(outboxItem(channel, change, buildAlertEvent({ ...base, kind: 'flapping', since: change.at - window })));
        }
        continue;
      }
    }
    const kind = alertKindFor(policy, { from: change.from, to: change.to, serviceKind: service.kind });
    if (!kind) continue;
    const since = kind === 'down' ? (change.incident?.openedAt ?? change.at) : change.at;
    items.push(outboxItem(channel, change, buildAlertEvent({ ...base, kind, since })));
  }
  return items;
}

function outboxItem(channel: Channel, change: StateChange, event: NewOutboxItem['event']): NewOutboxItem {
  // One alert per state-change event and channel, whatever retries happen above us.
  return { channelId: channel.id, serviceId: change.service.id, event, dedupKey: `change:${change.eventId}:${channel.id}`, at: change.at };
}
