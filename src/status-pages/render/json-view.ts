// The JSON document of a page (/status/<slug>/data.json): what the live script reads and what
// other tools can embed.
import type { PageModel } from '../page-data/page-model.js';
import { stateLabel } from './format.js';

export function pageJson(model: PageModel, publicUrl: string) {
  const { page } = model;
  return {
    page: { slug: page.slug, title: page.title, description: page.description, logoUrl: page.logoUrl, timezone: page.timezone, url: `${publicUrl}/status/${page.slug}` },
    generatedAt: model.generatedAt,
    status: model.banner,
    groups: model.groups.map((g) => ({
      name: g.name,
      services: g.services.map((s) => ({
        id: s.id, name: s.name, path: s.path, kind: s.kind, state: s.state, stateLabel: stateLabel[s.state],
        stateChangedAt: s.stateChangedAt, lastCheckedAt: s.lastCheckedAt, lastLatencyMs: s.lastLatencyMs,
        uptime90d: s.uptime, days: s.days, recentLatenciesMs: s.latencies,
      })),
    })),
    activeIncidents: model.activeIncidents,
    recentIncidents: model.recentIncidents,
    maintenance: model.maintenance,
  };
}
