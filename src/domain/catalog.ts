// The catalog: namespaces (organisations) → projects → services, as the rest of Tocsin sees them.
import type { ServiceKind, ServiceState } from './service-state.js';

export interface Namespace {
  id: string;
  slug: string;
  path: string;
  name: string;
  description: string | null;
  managedBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Project {
  id: string;
  namespaceId: string;
  slug: string;
  path: string;
  name: string;
  description: string | null;
  managedBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Service {
  id: string;
  projectId: string;
  namespaceId: string;
  slug: string;
  path: string;
  name: string;
  description: string | null;
  kind: ServiceKind;
  /** The checker type for active checks; null for heartbeats. */
  checkType: string | null;
  /** Checker config (active checks) or schedule (heartbeats), validated by their schema. */
  config: Record<string, unknown>;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  retryIntervalMs: number;
  upsideDown: boolean;
  paused: boolean;
  tags: string[];
  state: ServiceState;
  stateChangedAt: number | null;
  consecutiveFailures: number;
  lastCheckedAt: number | null;
  lastLatencyMs: number | null;
  lastDetail: string | null;
  managedBy: string | null;
  createdAt: number;
  updatedAt: number;
}
