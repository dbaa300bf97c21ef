// Schema pieces every provider config uses, so that URLs, secrets and template overrides are
// validated the same way everywhere.
import Type from 'typebox';
import { templateOverridesSchema } from '../render/template-overrides.js';

/** An http(s) URL; `defaultUrl` is the real service, documented and used when the field is absent. */
export function httpUrlField(description: string, defaultUrl?: string) {
  return Type.String({ format: 'uri', pattern: '^https?://', description, ...(defaultUrl ? { default: defaultUrl } : {}) });
}

export function secretField(description: string) {
  return Type.String({ minLength: 1, description });
}

/** The channel's own message templates (see render/template-overrides.ts). */
export const templateField = Type.Optional(templateOverridesSchema);

/** base + path without doubling or losing the slash between them. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
