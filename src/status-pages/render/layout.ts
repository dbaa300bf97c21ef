// The document shell shared by a page, its history and the not-found page.
import type { StatusPage } from '../status-page.js';
import { html, raw, type SafeHtml } from './html.js';
import { styles } from './styles.js';

export const clientScriptPath = '/status-assets/status-page.js';

export interface LayoutInput {
  title: string;
  page: StatusPage | null;
  body: SafeHtml;
  /** <html> data attributes the live script reads. */
  dataAttributes?: Record<string, string>;
  /** Colour of the tab icon: the page's overall status. */
  iconColor?: string;
}

/** An inline icon, so browsers do not ask for /favicon.ico (which may not exist). */
function icon(color: string): string {
  return `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${color}"/></svg>`)}`;
}

export function layout({ title, page, body, dataAttributes = {}, iconColor = '#6e7781' }: LayoutInput): SafeHtml {
  const attrs = Object.entries(dataAttributes).map(([k, v]) => html` data-${k}="${v}"`);
  return html`<!doctype html>
<html lang="en"${attrs}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<link rel="icon" href="${icon(iconColor)}">
${page ? html`<meta name="description" content="${page.description ?? `Current status of ${page.title}`}">
<link rel="alternate" type="application/atom+xml" title="${page.title} incidents" href="/status/${page.slug}/feed.atom">` : ''}
<style>${raw(styles)}</style>
<script>try{var t=localStorage.getItem('tocsin-theme');if(t)document.documentElement.dataset.theme=t}catch(e){}</script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<div class="wrap">
${body}
</div>
<script src="${clientScriptPath}" defer></script>
</body>
</html>
`;
}
