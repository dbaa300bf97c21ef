// Gathers a page's model: services and their 90 daily bars, incidents, maintenance ahead.
import { coversService } from '../../maintenance/maintenance-window.js';
import { MaintenanceRepository } from '../../maintenance/maintenance-repository.js';
import type { Service } from '../../domain/catalog.js';
import type { DataAccess } from '../../store/data-access.js';
import type { StatusPage } from '../status-page.js';
import { bannerLevel, bannerText, type MaintenanceView, type PageModel, type ServiceView } from './page-model.js';
import { pageIncidents } from './page-incidents.js';
import { recentLatencies, servicesOfGroups, stateChangesSince } from './page-services.js';
import { lastDays } from './time-zone.js';
import { uptimeBySpan } from './uptime-timeline.js';

export const daysShown = 90;
const sparklinePoints = 40;
const recentIncidentDays = 14;
const maintenanceAheadMs = 14 * 86_400_000;
const dayMs = 86_400_000;

function serviceView(service: Service, changes: Parameters<typeof uptimeBySpan>[0], days: ReturnType<typeof lastDays>, latencies: number[]): ServiceView {
  const daily = uptimeBySpan(changes, service.state, days);
  const monitoredMs = daily.reduce((sum, d) => sum + d.monitoredMs, 0);
  const downMs = daily.reduce((sum, d) => sum + d.downMs, 0);
  return {
    id: service.id, name: service.name, path: service.path, kind: service.kind, state: service.state,
    stateChangedAt: service.stateChangedAt, lastCheckedAt: service.lastCheckedAt, lastLatencyMs: service.lastLatencyMs,
    uptime: monitoredMs > 0 ? 1 - downMs / monitoredMs : null,
    days: days.map((d, i) => ({ date: d.date, uptime: daily[i].uptime })),
    latencies,
  };
}

async function upcomingMaintenance(data: DataAccess, page: StatusPage, services: Service[], now: number): Promise<MaintenanceView[]> {
  const upcoming = await new MaintenanceRepository(data.db).listUpcoming(page.namespaceId, now, now + maintenanceAheadMs);
  return upcoming.flatMap((o) => {
    const affected = services.filter((s) => coversService(o.window, s)).map((s) => s.name);
    if (affected.length === 0) return [];
    return [{ title: o.window.title, description: o.window.description, start: o.start, end: o.end, inProgress: o.start <= now, affected }];
  });
}

export async function loadPageModel(data: DataAccess, page: StatusPage, now: number): Promise<PageModel> {
  const groups = await servicesOfGroups(data, page.groups);
  const services = [...new Map(groups.flatMap((g) => g.services).map((s) => [s.id, s])).values()];
  const ids = services.map((s) => s.id);
  const days = lastDays(now, page.timezone, daysShown);
  const [changes, latencies, incidents, maintenance] = await Promise.all([
    stateChangesSince(data, ids, days[0].start),
    recentLatencies(data, services.filter((s) => s.kind === 'check').map((s) => s.id), sparklinePoints),
    pageIncidents(data, { namespaceId: page.namespaceId, serviceIds: ids, from: now - recentIncidentDays * dayMs, to: now + 1, includeOpen: true, limit: 50 },
      (id) => services.find((s) => s.id === id)?.name),
    upcomingMaintenance(data, page, services, now),
  ]);
  const views = new Map(services.map((s) => [s.id, serviceView(s, changes.get(s.id) ?? [], days, latencies.get(s.id) ?? [])]));
  const level = bannerLevel(services.map((s) => s.state));
  return {
    page, generatedAt: now,
    banner: { level, text: bannerText[level] },
    groups: groups.map((g) => ({ name: g.name, services: g.services.map((s) => views.get(s.id)!) })),
    activeIncidents: incidents.filter((i) => i.status === 'open'),
    recentIncidents: incidents.filter((i) => i.status === 'resolved'),
    maintenance,
  };
}
