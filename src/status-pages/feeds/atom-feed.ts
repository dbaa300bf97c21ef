// Atom (RFC 4287) feed of a page's incidents, newest first: one entry per incident, updated
// whenever a new progress update is posted.
import type { IncidentView } from '../page-data/page-model.js';
import { zonedDate } from '../page-data/time-zone.js';
import { formatProgress } from '../render/format.js';
import { escapeHtml, html } from '../render/html.js';
import type { StatusPage } from '../status-page.js';

const iso = (at: number) => new Date(at).toISOString();

function lastChange(i: IncidentView): number {
  return Math.max(i.openedAt, i.resolvedAt ?? 0, ...i.updates.map((u) => u.at));
}

export function atomFeed(page: StatusPage, incidents: IncidentView[], publicUrl: string, now: number): string {
  const pageUrl = `${publicUrl}/status/${page.slug}`;
  const updated = incidents.length > 0 ? Math.max(...incidents.map(lastChange)) : now;
  const entries = incidents.map((i) => {
    const month = zonedDate(i.openedAt, page.timezone).slice(0, 7);
    const content = html`<p><strong>${formatProgress(i.progress)}</strong>${i.affected.length > 0 ? html` — affects ${i.affected.join(', ')}` : ''}</p>
<ul>${i.updates.map((u) => html`<li>${iso(u.at)} <strong>${formatProgress(u.status)}</strong>: ${u.message}</li>`)}</ul>`;
    return `<entry>
<id>urn:uuid:${escapeHtml(i.id)}</id>
<title>${escapeHtml(`[${formatProgress(i.progress)}] ${i.title}`)}</title>
<link rel="alternate" type="text/html" href="${escapeHtml(`${pageUrl}/history?month=${month}`)}"/>
<published>${iso(i.openedAt)}</published>
<updated>${iso(lastChange(i))}</updated>
<content type="html">${escapeHtml(content.value)}</content>
</entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${escapeHtml(pageUrl)}</id>
<title>${escapeHtml(`${page.title} — incidents`)}</title>
<link rel="alternate" type="text/html" href="${escapeHtml(pageUrl)}"/>
<link rel="self" type="application/atom+xml" href="${escapeHtml(`${pageUrl}/feed.atom`)}"/>
<updated>${iso(updated)}</updated>
<author><name>${escapeHtml(page.title)}</name></author>
${entries.join('\n')}
</feed>
`;
}
