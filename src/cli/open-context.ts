// For one-shot CLI commands: open the configured database, migrate it, and build the context.
import { buildContext } from '../app/build-context.js';
import type { AppContext } from '../app/context.js';
import type { Settings } from '../config/settings.js';
import { silentLogger } from '../logger.js';
import { openStore } from '../store/connect.js';
import { parseDatabaseUrl } from '../store/database-url.js';
import { migrateToLatest } from '../store/migrate.js';

export async function withContext<T>(settings: Readonly<Settings>, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const store = openStore(parseDatabaseUrl(settings.databaseUrl), { poolSize: 2 });
  try {
    await migrateToLatest(store);
    return await fn(buildContext(settings, store, silentLogger()));
  } finally {
    await store.close();
  }
}
