// What repositories run queries on: the database itself or an open transaction.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type Executor = Kysely<Database>;

export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/**
 * True when PostgreSQL refused text holding a NUL character (its text type cannot store one).
 * Bodies are checked before (http/validators.ts); this catches query strings and path parameters.
 */
export function isNulInText(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '22021' && /0x00/.test(e.message ?? '');
}

/** True when a driver error is a unique-constraint violation, on any of the three dialects. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; message?: string };
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
    || e?.code === '23505' || e?.code === 'ER_DUP_ENTRY' || e?.errno === 1062;
}
