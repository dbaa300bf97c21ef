// The HTML of a status page, readable without JavaScript; the script only refreshes it.
import type { BannerLevel, PageModel } from '../page-data/page-model.js';
import type { StatusPage } from '../status-page.js';
import { incidentArticle, maintenanceArticle, serviceRow, time } from './components.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

const iconColors: Record<BannerLevel, string> = {
  operational: '#2da44e', degraded: '#d4a72c', partial_outage: '#d4a72c', major_outage: '#e5534b', maintenance: '#0969da',
};

export function pageHeader(page: StatusPage, now: number): SafeHtml {
  return html`<header class="top">
${page.logoUrl ? html`<img src="${page.logoUrl}" alt="${page.title} logo">` : ''}
<div class="titles"><h1>${page.title}</h1>
${page.description ? html`<p class="desc">${page.description}</p>` : ''}
<p class="clock">Current time: <span id="clock">${time(now, page.timezone)}</span> (${page.timezone})</p></div>
<button type="button" class="theme" id="theme-toggle" hidden aria-label="Switch between light and dark theme">Theme</button>
</header>`;
}

export function pageFooter(page: StatusPage): SafeHtml {
  return html`<footer>
<a href="/status/${page.slug}/history">Incident history</a>
<a href="/status/${page.slug}/feed.atom">Atom feed</a>
<a href="/status/${page.slug}/data.json">JSON</a>
<span>Powered by Tocsin</span>
</footer>`;
}

export function renderPage(model: PageModel): string {
  const { page } = model;
  const tz = page.timezone;
  const body = html`${pageHeader(page, model.generatedAt)}
<main id="main">
<section class="banner lvl-${model.banner.level}" id="banner" aria-labelledby="banner-text">
<h2 class="sr-only">Overall status</h2>
<p id="banner-text" role="status">${model.banner.text}</p>
<p class="updated">Updated <span id="updated">${time(model.generatedAt, tz)}</span></p>
</section>
${model.activeIncidents.length > 0 ? html`<section aria-labelledby="active-h"><h2 id="active-h">Active incidents</h2>
${model.activeIncidents.map((i) => incidentArticle(i, tz))}</section>` : ''}
${model.maintenance.length > 0 ? html`<section aria-labelledby="maint-h"><h2 id="maint-h">Scheduled maintenance</h2>
${model.maintenance.map((m) => maintenanceArticle(m, tz))}</section>` : ''}
${model.groups.map((g, i) => html`<section aria-labelledby="group-${i}"><h2 id="group-${i}">${g.name}</h2>
<div class="card"><ul class="services">${g.services.map((s) => serviceRow(s, tz))}</ul>${g.services.length === 0 ? html`<p class="desc">No services in this group yet.</p>` : ''}</div></section>`)}
<section aria-labelledby="past-h"><h2 id="past-h">Past incidents</h2>
${model.recentIncidents.length > 0 ? model.recentIncidents.map((i) => incidentArticle(i, tz)) : html`<p class="desc">No incidents in the last 14 days.</p>`}
<p><a href="/status/${page.slug}/history">Incident history by month</a></p>
</section>
</main>
${pageFooter(page)}`;
  return layout({
    title: `${page.title} status`, page, body, iconColor: iconColors[model.banner.level],
    dataAttributes: { slug: page.slug, tz, incidents: model.activeIncidents.map((i) => `${i.id}:${i.updates.length}`).join(',') },
  }).value;
}

export function renderNotFound(message: string): string {
  const body = html`<main id="main"><h1>Page not found</h1><p class="desc">${message}</p><p><a href="/">Go to the home page</a></p></main>`;
  return layout({ title: 'Status page not found', page: null, body }).value;
}
