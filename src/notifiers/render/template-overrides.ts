// A channel's own message templates. A template that does not compile (or calls a helper that
// does not exist) is a config error, found when the channel is saved rather than when it alerts.
import Type from 'typebox';
import type { Static } from 'typebox';
import type { AlertEvent, ConfigError } from '../types.js';
import { compileFor, messageFormats } from './formats.js';
import { buildView } from './view-model.js';

export const templateOverridesSchema = Type.Object({
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'Handlebars template of the title (plain text)' })),
  body: Type.Optional(Type.String({ minLength: 1, maxLength: 20000, description: 'Handlebars template of the body' })),
}, { additionalProperties: false });

export type TemplateOverrides = Static<typeof templateOverridesSchema>;

const sample: AlertEvent = {
  kind: 'down',
  service: { id: 'sample', path: 'acme/website/api', name: 'API', kind: 'check', target: 'https://example.com' },
  state: 'down',
  previousState: 'up',
  cause: 'expected status 200-299, got 503',
  at: Date.UTC(2024, 0, 1, 12, 5),
  since: Date.UTC(2024, 0, 1, 12, 0),
  incident: { id: 'inc_1', openedAt: Date.UTC(2024, 0, 1, 12, 0), resolvedAt: null, durationMs: null },
  link: 'https://tocsin.example.com/services/acme/website/api',
};

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

/** Compiles and test-renders each template in every flavour; returns what is wrong with them. */
export function checkTemplateOverrides(overrides: TemplateOverrides | undefined, basePath = '/template'): ConfigError[] {
  const errors: ConfigError[] = [];
  if (overrides === undefined) return errors; // checked before every delivery: keep this free
  const view = buildView(sample, sample.at);
  for (const field of ['title', 'body'] as const) {
    const source = overrides?.[field];
    if (source === undefined) continue;
    try {
      for (const format of messageFormats) compileFor(format, source)(view);
    } catch (err) {
      errors.push({ path: `${basePath}/${field}`, message: `template does not compile: ${firstLine(err)}` });
    }
  }
  return errors;
}
