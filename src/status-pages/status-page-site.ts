// The public side of status pages: every public document (page, JSON, feed, history, badge) is
// built here, through the render cache, as a ready-to-send body.
import type { DataAccess } from '../store/data-access.js';
import { badgeSvg } from './badges/badge-svg.js';
import { publicServices, responseTimeBadge, statusBadge, uptimeBadge, type BadgeWindow } from './badges/badge-data.js';
import { RenderCache } from './cache/render-cache.js';
import { readSiteVersion } from './cache/site-version.js';
import { atomFeed } from './feeds/atom-feed.js';
import { cachedBody, type CachedBody } from './http/cached-body.js';
import { loadPageModel } from './page-data/load-page-model.js';
import type { PageModel } from './page-data/page-model.js';
import { pageIncidents } from './page-data/page-incidents.js';
import { servicesOfGroups } from './page-data/page-services.js';
import { monthSpan, zonedDate } from './page-data/time-zone.js';
import { renderHistory } from './render/history-view.js';
import { pageJson } from './render/json-view.js';
import { renderPage } from './render/page-view.js';
import type { StatusPage } from './status-page.js';
import { StatusPageRepository } from './store/status-page-repository.js';

export type BadgeKind = 'status' | 'uptime' | 'response-time';

const htmlType = 'text/html; charset=utf-8';
// HTML revalidates every time (cheap with ETags); JSON and badges may be reused briefly.
const htmlCaching = 'public, no-cache';
const jsonCaching = 'public, max-age=15';
const badgeCaching = 'public, max-age=60';
const feedCaching = 'public, max-age=300';

interface Routed {
  domains: Map<string, string>;
  frontPage: string | null;
}

export class StatusPageSite {
  readonly cache: RenderCache;

  constructor(private readonly data: DataAccess, private readonly now: () => number, private readonly publicUrl: string) {
    this.cache = new RenderCache({ now, readVersion: () => readSiteVersion(data.db) });
  }

  private pages() {
    return new StatusPageRepository(this.data.db);
  }

  private model(slug: string): Promise<{ page: StatusPage; model: PageModel } | null> {
    return this.cache.get(`model:${slug}`, async () => {
      const page = await this.pages().findBySlug(slug);
      return page ? { page, model: await loadPageModel(this.data, page, this.now()) } : null;
    });
  }

  pageHtml(slug: string): Promise<CachedBody | null> {
    return this.cache.get(`html:${slug}`, async () => {
      const found = await this.model(slug);
      return found && cachedBody(renderPage(found.model), htmlType, htmlCaching);
    });
  }

  pageData(slug: string): Promise<CachedBody | null> {
    return this.cache.get(`json:${slug}`, async () => {
      const found = await this.model(slug);
      return found && cachedBody(JSON.stringify(pageJson(found.model, this.publicUrl)), 'application/json; charset=utf-8', jsonCaching);
    });
  }

  feed(slug: string): Promise<CachedBody | null> {
    return this.cache.get(`feed:${slug}`, async () => {
      const page = await this.pages().findBySlug(slug);
      if (!page) return null;
      const incidents = await this.incidentsOf(page, 0, this.now() + 1, 50);
      return cachedBody(atomFeed(page, incidents, this.publicUrl, this.now()), 'application/atom+xml; charset=utf-8', feedCaching);
    });
  }

  /** `month` is "YYYY-MM" in the page's time zone; the default is the current month. */
  history(slug: string, month: string | undefined): Promise<CachedBody | null> {
    return this.cache.get(`history:${slug}:${month ?? ''}`, async () => {
      const page = await this.pages().findBySlug(slug);
      if (!page) return null;
      const current = zonedDate(this.now(), page.timezone).slice(0, 7);
      const shown = month && month <= current ? month : current;
      const span = monthSpan(shown, page.timezone);
      const incidents = await this.incidentsOf(page, span.start, span.end, 500);
      return cachedBody(renderHistory(page, shown, current, incidents, this.now()), htmlType, htmlCaching);
    });
  }

  badge(path: { ns: string; project: string; service?: string }, kind: BadgeKind, window: BadgeWindow): Promise<CachedBody | null> {
    const key = `badge:${path.ns}/${path.project}/${path.service ?? ''}:${kind}:${window}`;
    return this.cache.get(key, async () => {
      const services = await publicServices(this.data, path.ns, path.project, path.service);
      if (!services) return null;
      const label = services.length === 1 && path.service ? services[0].name : path.project;
      const badge = kind === 'status' ? statusBadge(services, label)
        : kind === 'uptime' ? await uptimeBadge(this.data, services, window, this.now())
          : await responseTimeBadge(this.data, services, window, this.now());
      return cachedBody(badgeSvg(badge.label, badge.message, badge.color), 'image/svg+xml; charset=utf-8', badgeCaching);
    });
  }

  /** The slug shown at "/" for a host: its custom domain's page, else the front page. */
  async slugForRoot(hostname: string): Promise<string | null> {
    const routed = await this.cache.get<Routed>('routed', async () => {
      const rows = await this.pages().listRouted();
      return {
        domains: new Map(rows.filter((r) => r.customDomain).map((r) => [r.customDomain!, r.slug])),
        frontPage: rows.find((r) => r.isFrontPage)?.slug ?? null,
      };
    });
    return routed.domains.get(hostname.toLowerCase()) ?? routed.frontPage;
  }

  private async incidentsOf(page: StatusPage, from: number, to: number, limit: number) {
    const groups = await servicesOfGroups(this.data, page.groups);
    const services = new Map(groups.flatMap((g) => g.services).map((s) => [s.id, s.name]));
    return pageIncidents(this.data, { namespaceId: page.namespaceId, serviceIds: [...services.keys()], from, to, includeOpen: false, limit }, (id) => services.get(id));
  }
}
