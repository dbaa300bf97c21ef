// Starts Tocsin: database and migrations, first admin, config file, HTTP server, background work.
// SIGTERM/SIGINT stop it gracefully: stop taking requests, finish in-flight ones and writes.
// SIGHUP re-applies the config file.
import type { Settings } from '../config/settings.js';
import type { Logger } from '../logger.js';
import { openStore } from '../store/connect.js';
import { parseDatabaseUrl } from '../store/database-url.js';
import { migrateToLatest } from '../store/migrate.js';
import { assertServerRequirements } from '../store/server-requirements.js';
import { waitForDatabase } from '../store/wait-for-database.js';
import { buildServer } from '../http/build-server.js';
import { applyConfigFile } from '../config/file/apply-config-file.js';
import { buildContext } from './build-context.js';
import { allFeatures } from './features.js';
import type { AppContext } from './context.js';
import type { Feature } from './feature.js';

export interface RunningTocsin {
  ctx: AppContext;
  url: string;
  stop(): Promise<void>;
}

export async function serve(settings: Readonly<Settings>, logger: Logger, features: Feature[] = allFeatures()): Promise<RunningTocsin> {
  const target = parseDatabaseUrl(settings.databaseUrl);
  const store = openStore(target, {
    onIdleError: (err) => logger.warn({ err: err.message }, 'database connection lost while idle; it will be replaced'),
    onSideThreadError: (message) => logger.warn({ err: message }, 'SQLite side thread failed'),
    sqliteSynchronous: settings.checkInDurability === 'disk' ? 'FULL' : 'NORMAL',
  });
  try {
    await waitForDatabase(store, {
      maxWaitMs: settings.databaseWaitMs,
      onRetry: (err, attempt, delayMs) => logger.warn({ err: (err as Error).message, attempt, retryInMs: delayMs },
        'waiting for the database to take connections'),
    });
    await assertServerRequirements(store);
  } catch (err) {
    await store.close();
    throw err;
  }
  const applied = await migrateToLatest(store);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const ctx = buildContext(settings, store, logger);

  const admin = await ctx.auth.bootstrapAdmin(settings.adminEmail, settings.adminPassword);
  if (admin) logger.info({ email: admin.email }, 'created the first admin user');
  if (settings.configFile) await applyConfigFile(ctx, settings.configFile);

  const server = await buildServer(ctx, features);
  const address = await server.app.listen({ port: settings.port, host: settings.host });
  for (const feature of features) await feature.start?.(ctx);
  logger.info({ address, database: target.dialect, features: features.map((f) => f.name) }, 'Tocsin is serving');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      server.markShuttingDown();
      await server.app.close();
      for (const feature of [...features].reverse()) await feature.stop?.();
      await store.close();
    })();
    return stopping;
  };
  return { ctx, url: address, stop };
}

/** Wires process signals to a running instance (only for the real process, not tests). */
export function handleSignals(running: RunningTocsin, logger: Logger): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 20 s; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    running.stop().then(() => process.exit(0), (err) => {
      logger.error({ err }, 'error during shutdown');
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGHUP', () => {
    const file = running.ctx.settings.configFile;
    if (!file) return logger.warn('SIGHUP: no config file to reload (set --config or TOCSIN_CONFIG)');
    applyConfigFile(running.ctx, file).then(
      () => logger.info({ file }, 'config file re-applied'),
      (err: unknown) => logger.error({ file, err: (err as Error).message }, 'config file NOT applied; the previous state stays'),
    );
  });
}
