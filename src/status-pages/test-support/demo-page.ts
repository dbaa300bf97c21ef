// Seeds a realistic status page through the real domain (services, state transitions, results,
// a manual incident): for HTTP tests, browser tests, the benchmark and the README screenshot.
import { randomUUID } from 'node:crypto';
import { systemActor } from '../../auth/actor.js';
import type { AppContext } from '../../app/context.js';
import type { Service } from '../../domain/catalog.js';
import type { ServiceState } from '../../domain/service-state.js';
import { ManualIncidentService } from '../../incidents/manual-incident-service.js';
import { MaintenanceRepository } from '../../maintenance/maintenance-repository.js';
import { StatusPageService } from '../status-page-service.js';
import type { StatusPage } from '../status-page.js';

const hour = 3_600_000;
const day = 24 * hour;

export async function setState(ctx: AppContext, service: Service, to: ServiceState, at: number, options: { openIncident?: boolean; resolveIncident?: boolean } = {}): Promise<void> {
  await ctx.data.transaction(async (repos, trx) => {
    const current = (await repos.services.findById(service.id))!;
    await ctx.transitions.record({ service, from: current.state, to, at, cause: `went ${to}`, ...options }, repos, trx);
    await repos.services.update(service.id, { state: to, state_changed_at: at, last_checked_at: at });
  });
}

async function addLatencies(ctx: AppContext, service: Service, now: number, base: number): Promise<void> {
  const rows = Array.from({ length: 40 }, (_, i) => ({
    service_id: service.id, at: now - (40 - i) * 60_000, up: 1,
    latency_ms: Math.round(base + base * 0.4 * Math.sin(i / 3) + (i % 7) * 3), detail: null,
  }));
  await ctx.data.db.insertInto('check_results').values(rows).execute();
  await ctx.data.repos.services.update(service.id, { last_latency_ms: rows.at(-1)!.latency_ms, last_checked_at: now - 60_000 });
}

export interface DemoPage {
  page: StatusPage;
  services: Record<'website' | 'api' | 'search' | 'backup' | 'billing', Service>;
  incidentId: string;
}

/** Website up, API down (open auto incident), Search in maintenance (and more announced), backup late, billing up. */
export async function seedDemoPage(ctx: AppContext, options: { slug?: string; extraServices?: number } = {}): Promise<DemoPage> {
  const actor = systemActor('test');
  const now = ctx.now();
  const ns = await ctx.namespaces.create(actor, { slug: `acme-${options.slug ?? 'status'}`, name: 'Acme' });
  const web = await ctx.projects.create(actor, ns.id, { slug: 'website', name: 'Website' });
  const jobs = await ctx.projects.create(actor, ns.id, { slug: 'jobs', name: 'Jobs' });
  const check = (slug: string, name: string) => ctx.services.create(actor, web.id, { slug, name, type: 'http', config: { url: `https://${slug}.example.com/` }, interval: 60 });
  const heartbeat = (slug: string, name: string) => ctx.services.create(actor, jobs.id, { slug, name, type: 'heartbeat', config: { schedule: 'period', period: '1d', grace: '1h' } });
  const services = {
    website: await check('website', 'Website'),
    api: await check('api', 'Public API'),
    search: await check('search', 'Search'),
    backup: await heartbeat('backup', 'Nightly backup'),
    billing: await heartbeat('billing', 'Billing export'),
  };
  for (let i = 0; i < (options.extraServices ?? 0); i++) {
    const s = await check(`edge-${i + 1}`, `Edge node ${i + 1}`);
    await setState(ctx, s, 'up', now - 89 * day);
    await addLatencies(ctx, s, now, 80 + (i % 10) * 10);
  }
  for (const s of Object.values(services)) await setState(ctx, s, 'up', now - 89 * day);
  // History: short outages spread over the 90 days, each with its automatic incident.
  for (const [s, daysAgo, hours] of [[services.website, 45, 0.5], [services.api, 20, 2], [services.api, 6, 6], [services.search, 70, 12], [services.backup, 33, 3]] as const) {
    await setState(ctx, s, 'down', now - daysAgo * day, { openIncident: true });
    await setState(ctx, s, 'up', now - daysAgo * day + hours * hour, { resolveIncident: true });
  }
  await setState(ctx, services.api, 'down', now - 25 * 60_000, { openIncident: true });
  await setState(ctx, services.search, 'maintenance', now - 30 * 60_000);
  await setState(ctx, services.backup, 'late', now - 40 * 60_000);
  await addLatencies(ctx, services.website, now, 120);
  await addLatencies(ctx, services.api, now, 240);
  await addLatencies(ctx, services.search, now, 60);
  await ctx.data.repos.services.update(services.billing.id, { last_checked_at: now - 2 * hour });

  const incidents = new ManualIncidentService(ctx.data, ctx.now);
  const incident = await incidents.create(actor, ns.id, {
    title: 'Elevated error rates on the public API', status: 'investigating',
    message: 'We are seeing errors on some API requests and are looking into it.', services: ['website/api'],
  });
  await incidents.addUpdate(actor, incident.id, { status: 'identified', message: 'A failed database node is the cause; traffic is moving to a replica.' });

  await new MaintenanceRepository(ctx.data.db).insert({
    id: randomUUID(), namespace_id: ns.id, scope: 'service', scope_id: services.search.id, title: 'Search index rebuild',
    description: 'Search results may be incomplete while the index is rebuilt.', starts_at: now + 2 * day, ends_at: now + 2 * day + 2 * hour,
    cron: null, duration_ms: null, time_zone: null, managed_by: null, created_at: now, updated_at: now,
  });

  const page = await new StatusPageService(ctx.data, ctx.now).createStatusPage(actor, ns.id, {
    slug: options.slug ?? 'status', title: 'Acme Status', description: 'Live status of Acme services.', timezone: 'Europe/Paris',
    groups: [{ name: 'Website', project: 'website' }, { name: 'Background jobs', services: ['jobs/backup', 'jobs/billing'] }],
  });
  return { page, services: { ...services }, incidentId: incident.id };
}
