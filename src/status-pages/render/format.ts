// Words and numbers shown on pages and badges.
import type { ServiceState } from '../../domain/service-state.js';

export const stateLabel: Record<ServiceState, string> = {
  up: 'Operational', pending: 'Degraded', late: 'Late', down: 'Down',
  maintenance: 'Maintenance', paused: 'Paused', unknown: 'No data',
};

/** Never rounds up to 100%: 99.996% shows as 99.99%. */
export function formatPercent(uptime: number | null): string {
  if (uptime === null) return 'no data';
  if (uptime >= 1) return '100%';
  return `${(Math.floor(uptime * 10_000) / 100).toFixed(2)}%`;
}

/** Colour class of an uptime figure (bars and badges). */
export function uptimeClass(uptime: number | null): 'none' | 'ok' | 'minor' | 'warn' | 'bad' {
  if (uptime === null) return 'none';
  if (uptime >= 0.9995) return 'ok';
  if (uptime >= 0.99) return 'minor';
  if (uptime >= 0.95) return 'warn';
  return 'bad';
}

export function formatMs(ms: number | null): string {
  if (ms === null) return 'n/a';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

const progressLabel: Record<string, string> = {
  investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved', opened: 'Detected', note: 'Update',
};

export function formatProgress(status: string): string {
  return progressLabel[status] ?? status;
}
