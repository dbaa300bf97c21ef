// Table types of the notification tables (migration 301), added to the shared Database type.
import type { Generated } from 'kysely';

export interface NotificationChannelTable {
  id: string;
  namespace_id: string;
  name: string;
  type: string;
  /** JSON: the notifier config WITHOUT its secret fields. */
  config: string;
  /** The secret fields, AES-256-GCM encrypted (see secret-box.ts); null when there are none. */
  secret_config: string | null;
  /** JSON: ChannelPolicy. */
  policy: string;
  enabled: number;
  managed_by: string | null;
  last_error: string | null;
  last_error_at: number | null;
  last_success_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ChannelRouteTable {
  id: string;
  channel_id: string;
  namespace_id: string;
  project_id: string | null;
  service_id: string | null;
  /** JSON array of tags; empty = every service below the scope. */
  tags: string;
  created_at: number;
}

export interface NotificationOutboxTable {
  id: Generated<number>;
  channel_id: string;
  service_id: string | null;
  kind: string;
  /** JSON: the AlertEvent, rendered only when it is sent. */
  event: string;
  dedup_key: string | null;
  /** pending | sending | sent | failed */
  status: string;
  attempts: number;
  next_attempt_at: number;
  claimed_by: string | null;
  claim_token: string | null;
  claim_expires_at: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface NotificationAttemptTable {
  id: Generated<number>;
  outbox_id: number;
  at: number;
  duration_ms: number;
  ok: number;
  status_code: number | null;
  error: string | null;
  permanent: number;
  instance_id: string | null;
}

export interface NotificationFlappingTable {
  channel_id: string;
  service_id: string;
  since: number;
}

declare module '../../store/schema.js' {
  interface Database {
    notification_channels: NotificationChannelTable;
    channel_routes: ChannelRouteTable;
    notification_outbox: NotificationOutboxTable;
    notification_attempts: NotificationAttemptTable;
    notification_flapping: NotificationFlappingTable;
  }
}
