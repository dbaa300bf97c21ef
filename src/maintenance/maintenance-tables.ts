// Table types of maintenance windows (migration 102), added to the shared Database type.
export interface MaintenanceWindowTable {
  id: string;
  namespace_id: string;
  /** 'namespace' | 'project' | 'service': what `scope_id` names. */
  scope: string;
  scope_id: string;
  title: string;
  description: string | null;
  /** One-off: the start. Recurring: optional first day it applies. */
  starts_at: number | null;
  /** One-off: the end (exclusive). Recurring: optional day after which it no longer applies. */
  ends_at: number | null;
  /** Recurring only: a 5- or 6-field cron expression read in `time_zone`. */
  cron: string | null;
  duration_ms: number | null;
  time_zone: string | null;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    maintenance_windows: MaintenanceWindowTable;
  }
}
