// Turns a state change into outbox rows, INSIDE the transaction of the state change: either both
// are committed or neither is, so a crash can never lose an alert or send one for a change that
// did not happen. Nothing is rendered or sent here; the dispatcher does that later.
import type { StateChange } from '../catalog/state-transitions.js';
import type { MaintenanceCache } from '../maintenance/maintenance-cache.js';
import type { DialectName } from '../store/database-url.js';
import type { Executor } from '../store/executor.js';
import { alertIncident, alertService, buildAlertEvent, type ServiceFacts } from './alert-event.js';
import type { Channel } from './channel.js';
import { alertKindFor, routeMatches, wants } from './policy.js';
import type { SecretBox } from './secret-box.js';
import { ChannelRepository } from './store/channel-repository.js';
import { FlappingRepository } from './store/flapping-repository.js';
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

/** The enabled channels whose routes cover the service (path prefix and tag filters). */
export async function channelsFor(trx: Executor, deps: AlertStoreDeps, service: ServiceFacts): Promise<Channel[]> {
  const routed = await new ChannelRepository(trx, deps.box).routedTo(service);
  return routed.filter((r) => r.tagFilters.some((tags) => routeMatches(tags, service.tags))).map((r) => r.channel);
}

export async function writeAlertsFor(change: StateChange, trx: Executor, deps: AlertStoreDeps): Promise<number> {
  const service = (await loadServiceFacts(trx, [change.service.id])).get(change.service.id);
  if (!service || deps.maintenance?.isInMaintenance(service, change.at)) return 0;
  const channels = await channelsFor(trx, deps, service);
  if (channels.length === 0) return 0;
  const flapping = new FlappingRepository(trx, deps.dialect);
  const items: NewOutboxItem[] = [];
  const base = {
    service: alertService(service), state: change.to, previousState: change.from, cause: change.cause,
    at: change.at, incident: alertIncident(change.incident), publicUrl: deps.publicUrl,
  };
  for (const channel of channels) {
    const policy = channel.policy;
    if (policy.flapping) {
      if (await flapping.isFlapping(channel.id, service.id)) continue; // silence until it settles
      const window = policy.flapping.windowMs;
      const counts = flappingStates.includes(change.to);
      const changes = counts ? await countChangesSince(trx, service.id, change.at - window) : 0;
      if (changes > policy.flapping.changes && await flapping.start(channel.id, service.id, change.at)) {
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
  return new OutboxRepository(trx, deps.dialect).enqueue(items);
}

function outboxItem(channel: Channel, change: StateChange, event: NewOutboxItem['event']): NewOutboxItem {
  // One alert per state-change event and channel, whatever retries happen above us.
  return { channelId: channel.id, serviceId: change.service.id, event, dedupKey: `change:${change.eventId}:${channel.id}`, at: change.at };
}
