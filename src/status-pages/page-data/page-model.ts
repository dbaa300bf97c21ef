// Everything one render of a status page shows, gathered from the database in one pass. The
// HTML, the JSON endpoint and the feed are all views of this model.
import type { ServiceKind, ServiceState } from '../../domain/service-state.js';
import type { StatusPage } from '../status-page.js';

export type BannerLevel = 'operational' | 'degraded' | 'partial_outage' | 'major_outage' | 'maintenance';

export interface DayBar {
  date: string;
  /** 0..1, or null: no data that day. */
  uptime: number | null;
}

export interface ServiceView {
  id: string;
  name: string;
  path: string;
  kind: ServiceKind;
  state: ServiceState;
  stateChangedAt: number | null;
  /** Last check (active checks) or last check-in (heartbeats). */
  lastCheckedAt: number | null;
  lastLatencyMs: number | null;
  /** Over the days shown. */
  uptime: number | null;
  days: DayBar[];
  /** Recent response times, oldest first (active checks only). */
  latencies: number[];
}

export interface GroupView {
  name: string;
  services: ServiceView[];
}

export interface IncidentView {
  id: string;
  title: string;
  origin: 'auto' | 'manual';
  status: 'open' | 'resolved';
  /** The latest progress word: investigating, identified, monitoring, resolved (or opened). */
  progress: string;
  openedAt: number;
  resolvedAt: number | null;
  updates: { at: number; status: string; message: string }[];
  affected: string[];
}

export interface MaintenanceView {
  title: string;
  description: string | null;
  start: number;
  end: number;
  inProgress: boolean;
  affected: string[];
}

export interface PageModel {
  page: StatusPage;
  generatedAt: number;
  banner: { level: BannerLevel; text: string };
  groups: GroupView[];
  activeIncidents: IncidentView[];
  recentIncidents: IncidentView[];
  maintenance: MaintenanceView[];
}

export const bannerText: Record<BannerLevel, string> = {
  operational: 'All systems operational',
  degraded: 'Some systems degraded',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  maintenance: 'Scheduled maintenance in progress',
};

/** Down beats everything; half or more down is a major outage; late or pending is degraded. */
export function bannerLevel(states: ServiceState[]): BannerLevel {
  const down = states.filter((s) => s === 'down').length;
  if (down > 0) return down * 2 >= states.length ? 'major_outage' : 'partial_outage';
  if (states.some((s) => s === 'late' || s === 'pending')) return 'degraded';
  if (states.some((s) => s === 'maintenance')) return 'maintenance';
  return 'operational';
}
