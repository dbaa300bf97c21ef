// Alerts that come from time passing rather than from a state change: reminders while a service
// stays down, and the "settled" message once a flapping service has been stable for its window.
// Every instance runs these; dedup keys and conditional deletes make sure only one enqueues each.
import type { ServiceState } from '../domain/service-state.js';
import type { DataAccess } from '../store/data-access.js';
import { alertService, buildAlertEvent } from './alert-event.js';
import { channelsFor, type AlertStoreDeps } from './outbox-writer.js';
import { remindersEnabled, wants } from './policy.js';
import { ChannelRepository } from './store/channel-repository.js';
import { FlappingRepository } from './store/flapping-repository.js';
import { OutboxRepository, type NewOutboxItem } from './store/outbox-repository.js';
import { lastChangeAt, loadServiceFacts } from './store/service-facts.js';

/** Enqueues the reminders due now; the n-th reminder of an incident is sent once, by one instance. */
export async function enqueueReminders(data: DataAccess, deps: AlertStoreDeps, now: number): Promise<number> {
  const down = await data.db.selectFrom('services')
    .innerJoin('incidents', (join) => join.onRef('incidents.service_id', '=', 'services.id').on('incidents.status', '=', 'open'))
    .select(['services.id', 'services.state', 'services.last_detail', 'incidents.id as incident_id', 'incidents.opened_at', 'incidents.cause'])
    .where('services.state', '=', 'down')
    .execute();
  if (down.length === 0) return 0;
  const facts = await loadServiceFacts(data.db, [...new Set(down.map((d) => d.id))]);
  const flapping = new FlappingRepository(data.db, data.dialect);
  const items: NewOutboxItem[] = [];
  for (const row of down) {
    const service = facts.get(row.id);
    if (!service || deps.maintenance?.isInMaintenance(service, now)) continue;
    const openedAt = Number(row.opened_at);
    for (const channel of await channelsFor(data.db, deps, service)) {
      if (!remindersEnabled(channel.policy, service.kind)) continue;
      const interval = channel.policy.reminderIntervalMs!;
      const n = Math.floor((now - openedAt) / interval);
      if (n < 1 || await flapping.isFlapping(channel.id, service.id)) continue;
      const event = buildAlertEvent({
        kind: 'reminder', service: alertService(service), state: 'down', previousState: 'down',
        cause: row.last_detail ?? row.cause, at: openedAt + n * interval, since: openedAt,
        incident: { id: row.incident_id, openedAt, resolvedAt: null, durationMs: null }, publicUrl: deps.publicUrl,
      });
      items.push({ channelId: channel.id, serviceId: service.id, event, dedupKey: `reminder:${channel.id}:${row.incident_id}:${n}`, at: now });
    }
  }
  return new OutboxRepository(data.db, data.dialect).enqueue(items);
}

/** Ends the flapping periods whose service has been stable for the channel's window. */
export async function settleFlapping(data: DataAccess, deps: AlertStoreDeps, now: number): Promise<number> {
  const entries = await new FlappingRepository(data.db, data.dialect).listAll();
  let settled = 0;
  for (const entry of entries) {
    const channel = await new ChannelRepository(data.db, deps.box).findById(entry.channelId);
    const window = channel?.policy.flapping?.windowMs ?? 0;
    const last = await lastChangeAt(data.db, entry.serviceId);
    if (channel && last !== null && now - last < window) continue;
    const service = (await loadServiceFacts(data.db, [entry.serviceId])).get(entry.serviceId);
    const state = await data.db.selectFrom('services').select('state').where('id', '=', entry.serviceId).executeTakeFirst();
    await data.transaction(async (_repos, trx) => {
      if (!(await new FlappingRepository(trx, data.dialect).end(entry.channelId, entry.serviceId))) return;
      settled++;
      if (!channel || !service || !state || !wants(channel.policy, 'settled', service.kind)) return;
      const current = state.state as ServiceState;
      const event = buildAlertEvent({
        kind: 'settled', service: alertService(service), state: current, previousState: current, cause: null,
        at: now, since: last, incident: null, publicUrl: deps.publicUrl,
      });
      await new OutboxRepository(trx, data.dialect).enqueue([
        { channelId: channel.id, serviceId: service.id, event, dedupKey: `settled:${channel.id}:${service.id}:${entry.since}`, at: now },
      ]);
    });
  }
  return settled;
}
