// Small text helpers for providers: length caps (Slack header 150, Discord embed description
// 4096, Pushover message 1024...) and HTML bits. Cutting by UTF-16 units could split an emoji,
// so cut by code points.

/** Cuts `text` to at most `max` code points, ending with "…" when something was cut. */
export function truncate(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** HTML for renderers that honour markup but not newlines (email, Matrix, Google Chat cards). */
export function newlinesToBreaks(html: string): string {
  return html.replace(/\r?\n/g, '<br>\n');
}

/** Escapes text for HTML bodies and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
