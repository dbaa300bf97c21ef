// Persists a service's state change as an event, opens or resolves its incident, and lets other
// modules (notifications, status pages) add their own writes IN THE SAME TRANSACTION, so that
// nothing observes a state change without its consequences, even across a crash.
import { randomUUID } from 'node:crypto';
import type { Incident } from '../domain/incident.js';
import type { ServiceKind, ServiceState } from '../domain/service-state.js';
import type { Executor } from '../store/executor.js';
import type { Repositories } from '../store/repositories.js';
import { insertEvents, insertOpenedIncidents } from './state-change-rows.js';

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
/** Sees the changes recorded together (one for record(), all of them for recordMany()). */
export type StateChangesListener = (changes: StateChange[], tx: { repos: Repositories; trx: Executor }) => Promise<void>;

export class StateTransitions {
  private readonly listeners: StateChangeListener[] = [];
  private readonly batchListeners: StateChangesListener[] = [];
  private readonly commitListeners: (() => void)[] = [];

  /** Registers a listener that runs inside the transaction of every state change. */
  onChange(listener: StateChangeListener): void {
    this.listeners.push(listener);
  }

  /** Like onChange, for listeners that do their work once per batch of changes. */
  onChanges(listener: StateChangesListener): void {
    this.batchListeners.push(listener);
  }

  /**
   * Registers work for after a transaction with state changes committed, e.g. waking this
   * instance's dispatcher at once rather than at its next poll. The deadline sweeper and the
   * check-in and check-result writers call committed(); rarer writers (pause, resume) and other
   * instances are caught by polling, as this is only a hint.
   */
  onCommitted(listener: () => void): void {
    this.commitListeners.push(listener);
  }

  /** Called by a writer after its transaction with state changes committed. */
  committed(): void {
    for (const listener of this.commitListeners) listener();
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
    const change = toChange(input, eventId, incident);
    await this.notify([change], repos, trx);
    return change;
  }

  /**
   * record() for many services at once, with the same results and listeners, in a few multi-row
   * statements instead of several per change (the deadline sweeper records up to a hundred in one
   * transaction). Changes that resolve an incident, and batches naming a service twice (each
   * change must see the ones before it), go through record() one by one.
   */
  async recordMany(inputs: TransitionInput[], repos: Repositories, trx: Executor): Promise<StateChange[]> {
    const distinct = new Set(inputs.map((i) => i.service.id)).size === inputs.length;
    if (!distinct || inputs.length <= 1 || inputs.some((i) => i.resolveIncident && !i.openIncident)) {
      const changes: StateChange[] = [];
      for (const input of inputs) changes.push(await this.record(input, repos, trx));
      return changes;
    }
    const incidents = new Map<string, Incident>();
    const opened = inputs.filter((i) => i.openIncident).map((input) => {
      const row = {
        id: randomUUID(), service_id: input.service.id, namespace_id: input.service.namespaceId,
        title: `${input.service.name} is down`, cause: input.cause, status: 'open', origin: 'auto',
        opened_at: input.at, resolved_at: null,
      };
      incidents.set(input.service.id, {
        id: row.id, serviceId: row.service_id, namespaceId: row.namespace_id, title: row.title, cause: row.cause,
        status: 'open', origin: 'auto', openedAt: row.opened_at, resolvedAt: null, durationMs: null,
      });
      return { row, message: input.cause ?? `${input.service.path} went ${input.to}` };
    });
    await insertOpenedIncidents(trx, opened);
    const eventIds = await insertEvents(trx, inputs.map((input) => ({
      serviceId: input.service.id, at: input.at, fromState: input.from, toState: input.to,
      cause: input.cause, incidentId: incidents.get(input.service.id)?.id ?? null,
    })));
    const changes = inputs.map((input) => toChange(input, eventIds.get(input.service.id)!, incidents.get(input.service.id) ?? null));
    await this.notify(changes, repos, trx);
    return changes;
  }

  private async notify(changes: StateChange[], repos: Repositories, trx: Executor): Promise<void> {
    for (const change of changes) {
      for (const listener of this.listeners) await listener(change, { repos, trx });
    }
    for (const listener of this.batchListeners) await listener(changes, { repos, trx });
  }
}

function toChange(input: TransitionInput, eventId: number, incident: Incident | null): StateChange {
  return { eventId, service: input.service, from: input.from, to: input.to, at: input.at, cause: input.cause, incident };
}
