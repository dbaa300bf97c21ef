// Builds the AlertEvent stored in the outbox: everything a message needs, captured when the alert
// is decided, so that a delivery hours later says what was true then.
import type { ServiceKind } from '../domain/service-state.js';
import type { Incident } from '../domain/incident.js';
import type { AlertEvent, AlertIncident, AlertService } from '../notifiers/types.js';

export interface ServiceFacts {
  id: string;
  namespaceId: string;
  projectId: string;
  path: string;
  name: string;
  kind: ServiceKind;
  tags: string[];
  config: Record<string, unknown>;
}

/** URL or host:port of what a check watches, when its config says so. */
export function serviceTarget(config: Record<string, unknown>): string | null {
  if (typeof config.url === 'string') return config.url;
  if (typeof config.host === 'string') return config.port === undefined ? config.host : `${config.host}:${String(config.port)}`;
  return null;
}

export function serviceLink(publicUrl: string, path: string): string {
  return `${publicUrl}/services/${path}`;
}

export function alertService(facts: Pick<ServiceFacts, 'id' | 'path' | 'name' | 'kind' | 'config'>): AlertService {
  return { id: facts.id, path: facts.path, name: facts.name, kind: facts.kind, target: serviceTarget(facts.config) };
}

export function alertIncident(incident: Incident | null | undefined): AlertIncident | null {
  if (!incident) return null;
  return { id: incident.id, openedAt: incident.openedAt, resolvedAt: incident.resolvedAt, durationMs: incident.durationMs };
}

export function buildAlertEvent(input: Omit<AlertEvent, 'link'> & { publicUrl: string }): AlertEvent {
  const { publicUrl, ...rest } = input;
  return { ...rest, link: serviceLink(publicUrl, input.service.path) };
}
