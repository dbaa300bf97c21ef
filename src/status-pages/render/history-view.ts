// A page's incident history, one calendar month (in the page's time zone) at a time.
import type { IncidentView } from '../page-data/page-model.js';
import type { StatusPage } from '../status-page.js';
import { incidentArticle } from './components.js';
import { html } from './html.js';
import { layout } from './layout.js';
import { pageFooter, pageHeader } from './page-view.js';

export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

function monthName(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 15)).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export function renderHistory(page: StatusPage, month: string, currentMonth: string, incidents: IncidentView[], now: number): string {
  const older = shiftMonth(month, -1);
  const newer = shiftMonth(month, 1);
  const body = html`${pageHeader(page, now)}
<main id="main">
<p><a href="/status/${page.slug}">← Current status</a></p>
<h2>Incidents in ${monthName(month)}</h2>
${incidents.length > 0 ? incidents.map((i) => incidentArticle(i, page.timezone)) : html`<p class="desc">No incidents this month.</p>`}
<nav class="months" aria-label="Months">
<a href="/status/${page.slug}/history?month=${older}">← ${monthName(older)}</a>
${newer <= currentMonth ? html`<a href="/status/${page.slug}/history?month=${newer}">${monthName(newer)} →</a>` : ''}
</nav>
</main>
${pageFooter(page)}`;
  return layout({ title: `${page.title} — incident history, ${monthName(month)}`, page, body }).value;
}
