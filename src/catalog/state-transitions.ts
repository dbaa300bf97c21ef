// Persists a service's state change as an event, opens or resolves its incident, and lets other
// modules (notifications, status pages) add their own writes IN THE SAME TRANSACTION, so that
// nothing observes a state change without its consequences, even across a crash.
import { randomUUID } from 'node:crypto';
import type { Incident } from '../domain/incident.js';
import type { ServiceKind, ServiceState } from '../domain/service-state.js';
import type { Executor } from '../store/executor.js';
import type { Repositories } from '../store/repositories.js';

export interface ServiceRef {
  id: string;
  namespaceId: string;
  path: string;
  name: string;
  kind: ServiceKind;
}

export interface TransitionInput {
  service: ServiceRef;
  from: ServiceState;
  to: ServiceState;
  at: number;
  cause: string | null;
  openIncident?: boolean;
  resolveIncident?: boolean;
}

export interface StateChange {
  eventId: number;
  service: ServiceRef;
  from: ServiceState;
  to: ServiceState;
  at: number;
  cause: string | null;
  /** The incident this change opened or resolved, if any. */
  incident: Incident | null;
}

export type StateChangeListener = (change: StateChange, tx: { repos: Repositories; trx: Executor }) => Promise<void>;

export class StateTransitions {
  private readonly listeners: StateChangeListener[] = [];

  /** Registers a listener that runs inside the transaction of every state change. */
  onChange(listener: StateChangeListener): void {
    this.listeners.push(listener);
  }

  /**
   * Records one transition; must be called inside a transaction (`repos`/`trx` bound to it).
   * The caller updates the service row's own columns (state, counters) in the same transaction.
   */
  async record(input: TransitionInput, repos: Repositories, trx: Executor): Promise<StateChange> {
    let incident: Incident | null = null;
    if (input.openIncident) {
      incident = await repos.incidents.insert({
        id: randomUUID(), service_id: input.service.id, namespace_id: input.service.namespaceId,
        title: `${input.service.name} is down`, cause: input.cause, status: 'open', origin: 'auto',
        opened_at: input.at, resolved_at: null,
      });
      await repos.incidents.addUpdate(incident.id, input.at, 'opened', input.cause ?? `${input.service.path} went ${input.to}`);
    } else if (input.resolveIncident) {
      const open = await repos.incidents.findOpenForService(input.service.id);
      if (open && (await repos.incidents.resolve(open.id, input.at))) {
        await repos.incidents.addUpdate(open.id, input.at, 'resolved', input.cause ?? `${input.service.path} is ${input.to} again`);
        incident = { ...open, status: 'resolved', resolvedAt: input.at, durationMs: input.at - open.openedAt };
      }
    }
    const eventId = await repos.events.insert({
      serviceId: input.service.id, at: input.at, fromState: input.from, toState: input.to,
      cause: input.cause, incidentId: incident?.id ?? null,
    });
    const change: StateChange = {
      eventId, service: input.service, from: input.from, to: input.to, at: input.at, cause: input.cause, incident,
    };
    for (const listener of this.listeners) await listener(change, { repos, trx });
    return change;
  }
}
