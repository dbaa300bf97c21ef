// Service states and the rules that move an active check between them. Pure: no I/O, no clock.

export const serviceStates = ['unknown', 'up', 'pending', 'late', 'down', 'paused', 'maintenance'] as const;
export type ServiceState = (typeof serviceStates)[number];

export const serviceKinds = ['check', 'heartbeat'] as const;
export type ServiceKind = (typeof serviceKinds)[number];

/** States in which something is wrong enough to show on a status page as an outage. */
export function isOutage(state: ServiceState): boolean {
  return state === 'down';
}

export interface CheckStateInput {
  state: ServiceState;
  consecutiveFailures: number;
  hasOpenIncident: boolean;
  /** Failed results tolerated (state `pending`) before the service is confirmed down. */
  retries: number;
  inMaintenance: boolean;
}

export interface CheckStateOutput {
  state: ServiceState;
  consecutiveFailures: number;
  openIncident: boolean;
  resolveIncident: boolean;
}

/**
 * Applies one check result (already inverted for upside-down monitors) to a service's state.
 * Maintenance keeps the state `maintenance` and never opens an incident; a recovery resolves any
 * open incident whatever the state was.
 */
export function applyCheckResult(input: CheckStateInput, up: boolean): CheckStateOutput {
  if (up) {
    return {
      state: input.inMaintenance ? 'maintenance' : 'up',
      consecutiveFailures: 0,
      openIncident: false,
      resolveIncident: input.hasOpenIncident,
    };
  }
  const failures = input.consecutiveFailures + 1;
  if (input.inMaintenance) {
    return { state: 'maintenance', consecutiveFailures: failures, openIncident: false, resolveIncident: false };
  }
  const confirmed = failures > input.retries;
  return {
    state: confirmed ? 'down' : 'pending',
    consecutiveFailures: failures,
    openIncident: confirmed && !input.hasOpenIncident,
    resolveIncident: false,
  };
}
