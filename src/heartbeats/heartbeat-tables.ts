// The heartbeat columns and tables, added to the shared Kysely schema (migration 201-heartbeats).
import type { Generated } from 'kysely';

export interface HeartbeatPingTable {
  id: Generated<number>;
  service_id: string;
  at: number;
  /** success | start | fail | log | exit */
  kind: string;
  exit_status: number | null;
  /** Time since the matching start signal, when there was one. */
  duration_ms: number | null;
  /** The request body, truncated to the configured size (TOCSIN_PING_BODY_LIMIT). */
  body: string | null;
  source_ip: string | null;
  user_agent: string | null;
}

export interface HeartbeatPingKeyTable {
  project_id: string;
  ping_key: string;
  created_at: number;
}

declare module '../store/schema.js' {
  // Optional: rows written by the catalog, which knows nothing of heartbeats, leave them NULL.
  interface ServiceTable {
    /** The secret in /ping/<token> and /api/push/<token>; stored as is, like a URL. */
    ping_token?: string | null;
    /** SHA-256 of the Missme x-api-key / statuspage X-Token. */
    api_key_hash?: string | null;
    /** The id in /notify/<id> and /refresh/<id>; several services may share one. */
    legacy_id?: string | null;
    /** When the sweeper must look at this service again; null when only a check-in matters. */
    next_deadline?: number | null;
    last_ping_at?: number | null;
    run_started_at?: number | null;
  }
  interface Database {
    heartbeat_pings: HeartbeatPingTable;
    /** New pings, until ping-inbox-mover.ts moves them into heartbeat_pings (same columns, same ids). */
    heartbeat_ping_inbox: HeartbeatPingTable;
    heartbeat_ping_keys: HeartbeatPingKeyTable;
  }
}
