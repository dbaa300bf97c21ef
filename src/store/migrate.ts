// Versioned up/down migrations through Kysely's Migrator (it locks, so concurrent starts are safe).
import { Migrator, type Migration, type MigrationResultSet } from 'kysely';
import type { Store } from './connect.js';
import { migrations } from './migrations/index.js';

function migrator(store: Store): Migrator {
  const provider = {
    async getMigrations(): Promise<Record<string, Migration>> {
      const out: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(migrations)) {
        out[name] = {
          up: (db) => m.up({ db, dialect: store.dialect }),
          down: (db) => m.down({ db, dialect: store.dialect }),
        };
      }
      return out;
    },
  };
  return new Migrator({ db: store.db, provider, allowUnorderedMigrations: true });
}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const err = result.error instanceof Error ? result.error : new Error(String(result.error));
    err.message = `migration ${failed?.migrationName ?? '?'} failed: ${err.message}`;
    throw err;
  }
  return (result.results ?? []).map((r) => `${r.direction} ${r.migrationName}`);
}

/** Applies every pending migration; returns what ran. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  return check(await migrator(store).migrateToLatest());
}

/** Reverts the newest migration; returns what ran. */
export async function migrateDown(store: Store): Promise<string[]> {
  return check(await migrator(store).migrateDown());
}
