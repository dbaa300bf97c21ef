// Shields-style SVG badges ("label | message"), drawn locally. Widths come from approximate
// Verdana 11px advances, which is what the font stack falls back to in most renderers.
import { escapeHtml } from '../render/html.js';

export const badgeColors = {
  green: '#2e8540', lime: '#5e8c1a', yellow: '#9a6700', orange: '#c05a00', red: '#cf222e', blue: '#0550ae', grey: '#6e7781',
} as const;
export type BadgeColor = keyof typeof badgeColors;

function charWidth(c: string): number {
  if ('ijlI.,:;|!\'`'.includes(c)) return 3.6;
  if (c === ' ') return 3.9;
  if ('mwMW%'.includes(c)) return 10.5;
  if (/[A-Z]/.test(c)) return 7.8;
  if (/[0-9]/.test(c)) return 7;
  return 6.6;
}

export function textWidth(text: string): number {
  return Math.ceil([...text].reduce((sum, c) => sum + charWidth(c), 0));
}

export function badgeSvg(label: string, message: string, color: BadgeColor): string {
  const lw = textWidth(label) + 12;
  const mw = textWidth(message) + 12;
  const w = lw + mw;
  const l = escapeHtml(label);
  const m = escapeHtml(message);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${l}: ${m}"><title>${l}: ${m}</title>`
    + `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`
    + `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>`
    + `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${badgeColors[color]}"/><rect width="${w}" height="20" fill="url(#s)"/></g>`
    + `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">`
    + `<text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${l}</text><text x="${lw / 2}" y="14">${l}</text>`
    + `<text x="${lw + mw / 2}" y="15" fill="#010101" fill-opacity=".3">${m}</text><text x="${lw + mw / 2}" y="14">${m}</text></g></svg>`;
}
