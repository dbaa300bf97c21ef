// Pieces of a status page: a service row with its 90-day bars, an incident, a maintenance notice.
import type { IncidentView, MaintenanceView, ServiceView } from '../page-data/page-model.js';
import { formatZoned } from '../page-data/time-zone.js';
import { formatMs, formatPercent, formatProgress, stateLabel, uptimeClass } from './format.js';
import { html, type SafeHtml } from './html.js';

export function time(at: number, timeZone: string): SafeHtml {
  return html`<time datetime="${new Date(at).toISOString()}">${formatZoned(at, timeZone)}</time>`;
}

function sparkline(latencies: number[]): SafeHtml | '' {
  if (latencies.length < 2) return '';
  const max = Math.max(...latencies, 1);
  const step = 120 / (latencies.length - 1);
  const points = latencies.map((v, i) => `${(i * step).toFixed(1)},${(27 - (v / max) * 25).toFixed(1)}`).join(' ');
  const average = latencies.reduce((a, b) => a + b, 0) / latencies.length;
  const label = `Response time of the last ${latencies.length} checks: latest ${formatMs(latencies.at(-1)!)}, average ${formatMs(average)}`;
  return html`<svg class="spark" viewBox="0 0 120 28" role="img" aria-label="${label}"><title>${label}</title><polyline points="${points}"/></svg>`;
}

export function serviceRow(s: ServiceView, timeZone: string): SafeHtml {
  // 9,000 bars on a page of 100 services: the usual full-uptime bar carries no class (CSS paints
  // it green), which keeps a large page about a fifth lighter.
  const bars = s.days.map((d) => {
    const cls = uptimeClass(d.uptime);
    return cls === 'ok' ? html`<i title="${d.date}: ${formatPercent(d.uptime)}"></i>` : html`<i class="${cls}" title="${d.date}: ${formatPercent(d.uptime)}"></i>`;
  });
  const last = s.kind === 'heartbeat' ? 'Last check-in' : 'Last checked';
  return html`<li class="service" data-service-id="${s.id}" data-state="${s.state}">
<div class="row"><h3>${s.name}</h3><span class="pill st-${s.state}" data-role="state">${stateLabel[s.state]}</span></div>
<div class="bars" role="img" aria-label="Daily uptime over the last ${s.days.length} days: ${formatPercent(s.uptime)}">${bars}</div>
<div class="axis" aria-hidden="true"><span>${s.days.length} days ago</span><span data-role="uptime">${formatPercent(s.uptime)} uptime</span><span>Today</span></div>
<div class="meta"><span>${last}: <span data-role="last">${s.lastCheckedAt === null ? 'never' : time(s.lastCheckedAt, timeZone)}</span></span>${s.kind === 'check' ? html`<span class="latency">${sparkline(s.latencies)} <span data-role="latency">${formatMs(s.lastLatencyMs)}</span></span>` : ''}</div>
</li>`;
}

export function incidentArticle(i: IncidentView, timeZone: string, headingLevel: 'h3' | 'h4' = 'h3'): SafeHtml {
  const heading = headingLevel === 'h3' ? html`<h3>${i.title}</h3>` : html`<h4>${i.title}</h4>`;
  return html`<article class="card incident ${i.status}" data-incident-id="${i.id}">
<div class="row">${heading}<span class="pill ${i.status === 'resolved' ? 'st-up' : 'st-late'}">${formatProgress(i.progress)}</span></div>
${i.affected.length > 0 ? html`<p class="affects">Affects: ${i.affected.join(', ')}</p>` : ''}
<p class="when">${i.origin === 'auto' ? 'Detected automatically' : 'Posted'} ${time(i.openedAt, timeZone)}${i.resolvedAt === null ? '' : html` · resolved ${time(i.resolvedAt, timeZone)}`}</p>
<ol>${i.updates.map((u) => html`<li><strong>${formatProgress(u.status)}</strong> — ${u.message} <span class="when">${time(u.at, timeZone)}</span></li>`)}</ol>
</article>`;
}

export function maintenanceArticle(m: MaintenanceView, timeZone: string): SafeHtml {
  return html`<article class="card maintenance">
<div class="row"><h3>${m.title}</h3><span class="pill st-maintenance">${m.inProgress ? 'In progress' : 'Scheduled'}</span></div>
${m.description ? html`<p>${m.description}</p>` : ''}
<p class="when">${time(m.start, timeZone)} – ${time(m.end, timeZone)}</p>
<p class="affects">Affects: ${m.affected.join(', ')}</p>
</article>`;
}
