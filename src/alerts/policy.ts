// Which message (if any) a channel gets for a state change: pure rules, no I/O.
// - `→down` is a 'down' alert; `down→up` is the recovery ('up').
// - `pending` and `late` are early warnings, sent only to channels that ask for them (as a 'down'
//   alert carrying that state), and then their return to `up` is a recovery too.
// - paused, maintenance and unknown never alert: maintenance is how alerts are suppressed.
// - Heartbeats under the Missme rule (default): one message when missing (down), silence until
//   back (up): no late, no pending, no reminders.
import type { ServiceKind, ServiceState } from '../domain/service-state.js';
import type { AlertKind } from '../notifiers/types.js';
import type { ChannelEvent, ChannelPolicy } from './channel.js';

const missmeEvents: ReadonlySet<ChannelEvent> = new Set(['down', 'up', 'flapping', 'settled']);

/** Whether the channel takes this kind of event for this kind of service. */
export function wants(policy: ChannelPolicy, event: ChannelEvent, serviceKind: ServiceKind): boolean {
  if (serviceKind === 'heartbeat' && policy.heartbeatRule === 'missme' && !missmeEvents.has(event)) return false;
  return policy.events.includes(event);
}

export function alertKindFor(policy: ChannelPolicy, change: { from: ServiceState; to: ServiceState; serviceKind: ServiceKind }): AlertKind | null {
  const { from, to, serviceKind } = change;
  if (to === 'down') return wants(policy, 'down', serviceKind) ? 'down' : null;
  if (to === 'pending' || to === 'late') return wants(policy, to, serviceKind) ? 'down' : null;
  if (to === 'up') {
    const alertedBefore = from === 'down' || ((from === 'pending' || from === 'late') && wants(policy, from, serviceKind));
    return alertedBefore && wants(policy, 'up', serviceKind) ? 'up' : null;
  }
  return null;
}

/** Reminders go out while a service stays down, every `reminderIntervalMs`, if the channel wants them. */
export function remindersEnabled(policy: ChannelPolicy, serviceKind: ServiceKind): boolean {
  return policy.reminderIntervalMs !== null && policy.reminderIntervalMs > 0 && wants(policy, 'reminder', serviceKind);
}

/** A route's tags filter: empty means every service; otherwise the service needs one of them. */
export function routeMatches(routeTags: string[], serviceTags: string[]): boolean {
  return routeTags.length === 0 || routeTags.some((t) => serviceTags.includes(t));
}
