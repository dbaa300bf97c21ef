// Opaque page cursors: base64url JSON, checked on the way back in.
import { badRequest } from '../../domain/errors.js';

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

// A cursor comes back from the client, so it may hold any number: only a safe integer can be
// bound on every database (PostgreSQL refused 1e20 as a bigint, a 500).
export const isIdCursor = (v: unknown): v is number => Number.isSafeInteger(v);

export const isTimeIdCursor = (v: unknown): v is { at: number; id: string } =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as { at: unknown }).at)
  && typeof (v as { id: unknown }).id === 'string' && (v as { id: string }).id.length <= 64;

export function decodeCursor<T>(cursor: string | undefined, check: (v: unknown) => v is T): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw badRequest('cursor is not valid; use the nextCursor of a previous page');
}
