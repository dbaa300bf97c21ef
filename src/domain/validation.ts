// Validation of values against TypeBox schemas with errors that name the field.
import type { TSchema } from 'typebox';
import Value from 'typebox/value';
import { AppError } from './errors.js';

export interface FieldError {
  path: string;
  message: string;
}

/** PostgreSQL's text cannot store U+0000, so no text Tocsin keeps may hold it. */
export const nulMessage = 'must not contain the NUL character (\\u0000)';

/** The path of the first string (value or key) in `data` that holds U+0000, or null. */
export function nulPath(data: unknown, path = ''): string | null {
  if (typeof data === 'string') return data.includes('\0') ? path : null;
  if (typeof data !== 'object' || data === null) return null;
  for (const [key, value] of Object.entries(data)) {
    const at = `${path}/${key}`;
    if (key.includes('\0')) return at;
    const found = nulPath(value, at);
    if (found !== null) return found;
  }
  return null;
}

export function schemaErrors(schema: TSchema, value: unknown, prefix = ''): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of Value.Errors(schema, value)) {
    if (e.keyword === 'boolean') continue; // TypeBox reports additionalProperties twice
    let path = `${prefix}${e.instancePath}` || '/';
    let message = e.message;
    const extra = (e.params as { additionalProperties?: string[] }).additionalProperties;
    if (e.keyword === 'additionalProperties' && extra) {
      message = `unknown field${extra.length > 1 ? 's' : ''}: ${extra.join(', ')}`;
    }
    const key = `${path} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message });
  }
  return out;
}

/** Throws a validation_failed AppError listing every problem. */
export function assertValid(schema: TSchema, value: unknown, what: string, prefix = ''): void {
  const errors = schemaErrors(schema, value, prefix);
  if (errors.length > 0) {
    throw new AppError('validation_failed', `${what} is not valid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
  }
}
