// The `tocsin` command: parse the command line, read settings, run the command. Nothing else.
import { Command } from 'commander';
import { adminCommands } from './cli/admin-commands.js';
import { extraCommands } from './cli/extra-commands.js';
import { ConfigFileError } from './config/file/load-config-file.js';
import { readSettings, SettingsError, type Settings } from './config/settings.js';
import { createLogger } from './logger.js';
import { handleSignals, serve } from './app/serve.js';
import { AppError } from './domain/errors.js';
import { UnsupportedDatabaseError } from './store/server-requirements.js';
import { isDatabaseUnavailable } from './store/database-unavailable.js';
import { parseDatabaseUrl } from './store/database-url.js';
import { UsageError } from './cli/usage-error.js';

const program = new Command('tocsin').description('Tocsin: self-hosted monitoring').option('-c, --config <file>', 'YAML config file (or TOCSIN_CONFIG)');
let cached: Readonly<Settings> | undefined;
const settings = () => (cached ??= readSettings(process.env, { configFile: program.opts<{ config?: string }>().config }));

program.command('serve', { isDefault: true })
  .description('serve the API, pages and check-in URLs, and run checks (the default)')
  .action(async () => {
    const s = settings();
    const logger = createLogger({ level: s.logLevel, format: s.logFormat });
    const running = await serve(s, logger);
    handleSignals(running, logger);
  });
adminCommands(program, settings);
extraCommands(program, settings);

/** " at host:port" of the database server, never its credentials; empty for SQLite or a bad URL. */
function databaseHost(): string {
  try {
    const target = parseDatabaseUrl(settings().databaseUrl);
    return target.dialect === 'sqlite' ? '' : ` at ${new URL(target.location).host}`;
  } catch {
    return '';
  }
}

/** Node reports a refused connection to every address of a name as an AggregateError without a message of its own. */
function describeError(err: unknown): string {
  const { message, errors } = err as { message?: string; errors?: { message?: string }[] };
  return message || (errors ?? []).map((e) => e.message).join('; ') || String(err);
}

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof SettingsError || err instanceof ConfigFileError || err instanceof AppError || err instanceof UnsupportedDatabaseError
    || err instanceof UsageError) {
    console.error(`tocsin: ${err.message}`);
  } else if (isDatabaseUnavailable(err)) {
    console.error(`tocsin: the database${databaseHost()} cannot be reached: ${describeError(err)}`);
  } else {
    console.error('tocsin:', err instanceof Error ? (err.stack ?? err.message) : err);
  }
  process.exit(1);
});
