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

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof SettingsError || err instanceof ConfigFileError || err instanceof AppError || err instanceof UnsupportedDatabaseError
    || err instanceof UsageError) {
    console.error(`tocsin: ${err.message}`);
  } else {
    console.error('tocsin:', err instanceof Error ? (err.stack ?? err.message) : err);
  }
  process.exit(1);
});
