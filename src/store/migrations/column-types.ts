// The few column types that differ between dialects, for migrations.
import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';
import type { DialectName } from '../database-url.js';

export interface MigrationContext {
  db: Kysely<any>;
  dialect: DialectName;
}

/** Adds an auto-incrementing 64-bit primary key named `id`. */
export function withAutoId<T extends string>(table: CreateTableBuilder<T, any>, dialect: DialectName) {
  if (dialect === 'postgres') return table.addColumn('id', 'bigserial', (c) => c.primaryKey());
  if (dialect === 'mysql') return table.addColumn('id', 'bigint', (c) => c.primaryKey().autoIncrement());
  return table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Short, indexable text (MySQL cannot index TEXT without a prefix length). */
export const key = 'varchar(255)' as const;
export const id = 'varchar(64)' as const;
/** Long text: MySQL TEXT stops at 64 KB, so use MEDIUMTEXT there. */
export function longText(dialect: DialectName) {
  return dialect === 'mysql' ? sql`mediumtext` : sql`text`;
}

export type ColumnBuilder = (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
export const notNull: ColumnBuilder = (c) => c.notNull();
