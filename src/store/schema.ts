// Table types for Kysely. Times are epoch milliseconds (BIGINT), booleans are 0/1 integers and
// JSON is stored as text: the one representation that behaves the same on SQLite, PostgreSQL
// and MySQL. Later migrations add their tables here too.
import type { Generated } from 'kysely';

export interface NamespaceTable {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface ProjectTable {
  id: string;
  namespace_id: string;
  slug: string;
  name: string;
  description: string | null;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface ServiceTable {
  id: string;
  project_id: string;
  namespace_id: string;
  slug: string;
  name: string;
  description: string | null;
  kind: string;
  /** Checker type for active checks (http, tcp, ...); null for heartbeats. */
  check_type: string | null;
  /** JSON: the checker's config, or the heartbeat's schedule. */
  config: string;
  interval_ms: number;
  timeout_ms: number;
  retries: number;
  retry_interval_ms: number;
  upside_down: number;
  paused: number;
  state: string;
  state_changed_at: number | null;
  consecutive_failures: number;
  last_checked_at: number | null;
  last_latency_ms: number | null;
  last_detail: string | null;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface ServiceTagTable {
  service_id: string;
  tag: string;
}

export interface IncidentTable {
  id: string;
  service_id: string | null;
  namespace_id: string;
  title: string;
  cause: string | null;
  /** 'open' or 'resolved'. */
  status: string;
  /** 'auto' (opened by a check or heartbeat) or 'manual' (written by people). */
  origin: string;
  opened_at: number;
  resolved_at: number | null;
}

export interface IncidentUpdateTable {
  id: Generated<number>;
  incident_id: string;
  at: number;
  /** investigating | identified | monitoring | resolved | opened | note */
  status: string;
  message: string;
}

export interface CheckResultTable {
  id: Generated<number>;
  service_id: string;
  at: number;
  up: number;
  latency_ms: number | null;
  detail: string | null;
}

/** Every state change of a service, in order: what notifications, bots and pages consume. */
export interface ServiceEventTable {
  id: Generated<number>;
  service_id: string;
  at: number;
  from_state: string;
  to_state: string;
  cause: string | null;
  incident_id: string | null;
}

export interface UserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: string | null;
  created_at: number;
  updated_at: number;
}

export interface MembershipTable {
  user_id: string;
  namespace_id: string;
  role: string;
}

export interface SessionTable {
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

export interface ApiKeyTable {
  id: string;
  user_id: string;
  name: string;
  key_hash: string;
  /** 'read' or 'write'. */
  scope: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
}

export interface LoginAttemptTable {
  bucket: string;
  window_start: number;
  failures: number;
}

export interface Database {
  namespaces: NamespaceTable;
  projects: ProjectTable;
  services: ServiceTable;
  service_tags: ServiceTagTable;
  incidents: IncidentTable;
  incident_updates: IncidentUpdateTable;
  check_results: CheckResultTable;
  service_events: ServiceEventTable;
  users: UserTable;
  memberships: MembershipTable;
  sessions: SessionTable;
  api_keys: ApiKeyTable;
  login_attempts: LoginAttemptTable;
}
