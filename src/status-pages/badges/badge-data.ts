// What badges say: a service's or project's state, uptime over a window, and response time.
// Only services shown on some status page have badges: being on a public page is the consent
// to be seen publicly.
import type { Service } from '../../domain/catalog.js';
import type { ServiceState } from '../../domain/service-state.js';
import { serviceUptime } from '../../retention/uptime-queries.js';
import type { DataAccess } from '../../store/data-access.js';
import { stateChangesSince } from '../page-data/page-services.js';
import { uptimeBySpan } from '../page-data/uptime-timeline.js';
import { formatMs, formatPercent, stateLabel, uptimeClass } from '../render/format.js';
import { StatusPageRepository } from '../store/status-page-repository.js';
import type { BadgeColor } from './badge-svg.js';

export const badgeWindows = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type BadgeWindow = keyof typeof badgeWindows;

export interface Badge {
  label: string;
  message: string;
  color: BadgeColor;
}

const stateColor: Record<ServiceState, BadgeColor> = {
  up: 'green', pending: 'yellow', late: 'yellow', down: 'red', maintenance: 'blue', paused: 'grey', unknown: 'grey',
};
const uptimeColor: Record<ReturnType<typeof uptimeClass>, BadgeColor> = { ok: 'green', minor: 'lime', warn: 'yellow', bad: 'red', none: 'grey' };
/** Worst first: a project's state is the worst of its services'. */
const severity: ServiceState[] = ['down', 'late', 'pending', 'maintenance', 'up', 'paused', 'unknown'];

/** The services of a namespace/project(/service) path that some status page shows; null if none. */
export async function publicServices(data: DataAccess, ns: string, project: string, service?: string): Promise<Service[] | null> {
  const projectRow = await data.repos.projects.findBySlugs(ns, project);
  if (!projectRow) return null;
  const pages = await new StatusPageRepository(data.db).listByNamespace(projectRow.namespaceId);
  const { items } = await data.repos.services.list({ projectId: projectRow.id }, { limit: 1000, offset: 0 });
  const shown = items.filter((s) => pages.some((p) => p.groups.some((g) => g.projectId === s.projectId || g.serviceIds?.includes(s.id))));
  const wanted = service === undefined ? shown : shown.filter((s) => s.slug === service);
  return wanted.length > 0 ? wanted : null;
}

export function statusBadge(services: Service[], label: string): Badge {
  const state = severity.find((s) => services.some((x) => x.state === s)) ?? 'unknown';
  return { label, message: stateLabel[state].toLowerCase(), color: stateColor[state] };
}

export async function uptimeBadge(data: DataAccess, services: Service[], window: BadgeWindow, now: number): Promise<Badge> {
  const start = now - badgeWindows[window];
  const changes = await stateChangesSince(data, services.map((s) => s.id), start);
  let downMs = 0;
  let monitoredMs = 0;
  for (const s of services) {
    const [span] = uptimeBySpan(changes.get(s.id) ?? [], s.state, [{ start, end: now }]);
    downMs += span.downMs;
    monitoredMs += span.monitoredMs;
  }
  const uptime = monitoredMs > 0 ? 1 - downMs / monitoredMs : null;
  return { label: `uptime ${window}`, message: formatPercent(uptime), color: uptimeColor[uptimeClass(uptime)] };
}

/** Mean response time over the window, from roll-ups and raw results (active checks only). */
export async function responseTimeBadge(data: DataAccess, services: Service[], window: BadgeWindow, now: number): Promise<Badge> {
  const checks = services.filter((s) => s.kind === 'check');
  let sum = 0;
  let count = 0;
  for (const s of checks) {
    const stats = await serviceUptime(data.db, s.id, now - badgeWindows[window], now + 1);
    if (stats.latency) {
      sum += stats.latency.mean * stats.total;
      count += stats.total;
    }
  }
  const mean = count > 0 ? sum / count : null;
  const color: BadgeColor = mean === null ? 'grey' : mean < 300 ? 'green' : mean < 1000 ? 'yellow' : 'orange';
  return { label: `response time ${window}`, message: formatMs(mean), color };
}
