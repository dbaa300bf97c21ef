// One Handlebars environment per output flavour. The templates are the same for all flavours;
// the helpers ({{bold x}}, {{code x}}, {{linkTo url "label"}}, {{upper x}}) decide the markup.
// Only the html flavour escapes values (Handlebars' own escaping); text and markdown are sent as
// they are; mrkdwn escapes the three characters Slack reserves (& < >) in the data beforehand.
import Handlebars from 'handlebars';

export const messageFormats = ['text', 'markdown', 'html', 'mrkdwn'] as const;
export type MessageFormat = (typeof messageFormats)[number];

interface Style {
  bold(s: string): string;
  code(s: string): string;
  link(url: string, label: string): string;
}

const esc = (s: string) => Handlebars.escapeExpression(s);

const styles: Record<MessageFormat, Style> = {
  text: { bold: (s) => s, code: (s) => s, link: (url, label) => `${label}: ${url}` },
  markdown: { bold: (s) => `**${s}**`, code: (s) => `\`${s}\``, link: (url, label) => `[${label}](${url})` },
  html: {
    bold: (s) => `<b>${esc(s)}</b>`,
    code: (s) => `<code>${esc(s)}</code>`,
    link: (url, label) => `<a href="${esc(url)}">${esc(label)}</a>`,
  },
  mrkdwn: { bold: (s) => `*${s}*`, code: (s) => `\`${s}\``, link: (url, label) => `<${url}|${label}>` },
};

/** Slack's reserved characters; Google Chat reads the same dialect. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

function createEnvironment(format: MessageFormat): typeof Handlebars {
  const env = Handlebars.create();
  const style = styles[format];
  // The html helpers escape their own input, so their output must not be escaped again.
  const out = (s: string) => (format === 'html' ? new Handlebars.SafeString(s) : s);
  env.registerHelper('bold', (value: unknown) => out(style.bold(text(value))));
  env.registerHelper('code', (value: unknown) => out(style.code(text(value))));
  env.registerHelper('upper', (value: unknown) => text(value).toUpperCase());
  env.registerHelper('linkTo', (url: unknown, label: unknown) => {
    const target = text(url);
    const caption = typeof label === 'string' ? label : target;
    return out(target === '' ? '' : style.link(target, caption));
  });
  return env;
}

const environments = new Map<MessageFormat, typeof Handlebars>();
const cache = new Map<string, Handlebars.TemplateDelegate>();
const maxCached = 500;

/** Compiles (once) a template for one flavour; throws on a syntax error. */
export function compileFor(format: MessageFormat, source: string): Handlebars.TemplateDelegate {
  const key = `${format}\u0000${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let env = environments.get(format);
  if (!env) environments.set(format, (env = createEnvironment(format)));
  // compile() is lazy; precompile-style parsing up front turns syntax errors into exceptions here.
  env.parse(source);
  const template = env.compile(source, { noEscape: format !== 'html' });
  if (cache.size >= maxCached) cache.clear();
  cache.set(key, template);
  return template;
}
