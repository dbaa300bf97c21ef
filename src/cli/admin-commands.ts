// `tocsin migrate`, `tocsin user create`, `tocsin api-key create`, `tocsin config check`.
import type { Command } from 'commander';
import { loadConfigFile } from '../config/file/load-config-file.js';
import type { Settings } from '../config/settings.js';
import { openStore } from '../store/connect.js';
import { parseDatabaseUrl } from '../store/database-url.js';
import { migrateDown, migrateToLatest } from '../store/migrate.js';
import { withContext } from './open-context.js';
import { UsageError } from './usage-error.js';

export function adminCommands(program: Command, settings: () => Readonly<Settings>): void {
  program.command('migrate')
    .description('apply pending database migrations (or revert the newest with --down)')
    .option('--down', 'revert the newest migration')
    .action(async (opts: { down?: boolean }) => {
      const store = openStore(parseDatabaseUrl(settings().databaseUrl), { poolSize: 1 });
      try {
        const ran = opts.down ? await migrateDown(store) : await migrateToLatest(store);
        console.log(ran.length ? ran.join('\n') : 'nothing to do: the database is up to date');
      } finally {
        await store.close();
      }
    });

  const user = program.command('user').description('manage users');
  user.command('create')
    .description('create a user (the first one should be an admin)')
    .requiredOption('--email <email>')
    .requiredOption('--password <password>', 'at least 8 characters')
    .option('--name <name>')
    .option('--role <role>', 'admin, editor or viewer (global); omit for namespace-only access', undefined)
    .action(async (opts: { email: string; password: string; name?: string; role?: string }) => {
      if (opts.role && !['admin', 'editor', 'viewer'].includes(opts.role)) throw new UsageError('--role must be admin, editor or viewer');
      const created = await withContext(settings(), (ctx) => ctx.auth.createUser({ ...opts, role: (opts.role ?? null) as 'admin' | null }));
      console.log(`created user ${created.email} (${created.role ?? 'no global role'}), id ${created.id}`);
    });
  user.command('set-password')
    .description("reset a user's password")
    .requiredOption('--email <email>')
    .requiredOption('--password <password>')
    .action(async (opts: { email: string; password: string }) => {
      await withContext(settings(), (ctx) => ctx.auth.setPassword(opts.email, opts.password));
      console.log(`password changed for ${opts.email}`);
    });

  program.command('api-key').description('manage API keys').command('create')
    .description('create an API key for a user; it is printed once')
    .requiredOption('--email <email>', 'the user the key acts for')
    .requiredOption('--name <name>', 'what the key is for')
    .option('--scope <scope>', 'read or write', 'write')
    .action(async (opts: { email: string; name: string; scope: string }) => {
      if (!['read', 'write'].includes(opts.scope)) throw new UsageError('--scope must be read or write');
      const key = await withContext(settings(), async (ctx) => {
        const owner = await ctx.data.repos.users.findByEmail(opts.email);
        if (!owner) throw new UsageError(`no user with email ${opts.email}`);
        return ctx.auth.createApiKey({ userId: owner.id, name: opts.name, scope: opts.scope as 'read' | 'write' });
      });
      console.log(key.key);
      console.error(`(${opts.scope} key "${opts.name}" for ${opts.email}; it is not shown again)`);
    });

  program.command('config').description('config as code').command('check')
    .description('validate a config file without starting')
    .argument('[file]', 'the YAML file (default: --config / TOCSIN_CONFIG)')
    .action((file: string | undefined) => {
      const path = file ?? settings().configFile;
      if (!path) throw new UsageError('name a file: tocsin config check tocsin.yml');
      const config = loadConfigFile(path, settings().environment);
      const services = (config.namespaces ?? []).flatMap((n) => (n.projects ?? []).flatMap((p) => p.services ?? []));
      console.log(`${path}: OK (${config.namespaces?.length ?? 0} namespaces, ${services.length} services)`);
    });
}
