// Incidents: opened when a service goes down (or by people), resolved on recovery, with a timeline.

export type IncidentStatus = 'open' | 'resolved';
export type IncidentOrigin = 'auto' | 'manual';

export interface IncidentUpdate {
  id: number;
  at: number;
  status: string;
  message: string;
}

export interface Incident {
  id: string;
  serviceId: string | null;
  namespaceId: string;
  title: string;
  cause: string | null;
  status: IncidentStatus;
  origin: IncidentOrigin;
  openedAt: number;
  resolvedAt: number | null;
  /** Resolved incidents: resolvedAt - openedAt; open ones: null. */
  durationMs: number | null;
  updates?: IncidentUpdate[];
}

export interface CheckResult {
  id: number;
  serviceId: string;
  at: number;
  up: boolean;
  latencyMs: number | null;
  detail: string | null;
}

export interface ServiceEvent {
  id: number;
  serviceId: string;
  at: number;
  fromState: string;
  toState: string;
  cause: string | null;
  incidentId: string | null;
}
