// `tocsin import statuspage config.yml [--namespace ns] [--project p]`.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { withContext } from '../../cli/open-context.js';
import type { Settings } from '../../config/settings.js';
import { importStatuspage } from './import-statuspage.js';

export function statuspageImportCommand(program: Command, settings: () => Readonly<Settings>): void {
  // Other importers may share the `import` command.
  const importCommand = program.commands.find((c) => c.name() === 'import')
    ?? program.command('import').description('import monitors from other tools');
  importCommand.command('statuspage')
    .description('turn a statuspage config.yml into heartbeats (refreshed with /refresh/<id> and X-Token) and a status page')
    .argument('<file>', 'the statuspage config.yml')
    .option('--namespace <slug>', 'namespace to import into (created if missing)', 'default')
    .option('--project <slug>', 'project to import into (created if missing); also the status page slug', 'statuspage')
    .action(async (file: string, opts: { namespace: string; project: string }) => {
      const text = readFileSync(file, 'utf8');
      const s = settings();
      const result = await withContext(s, (ctx) => importStatuspage(ctx, text, opts));
      for (const svc of result.services) {
        console.log(`${svc.created ? 'created' : 'updated'} ${svc.path}  (GET ${s.publicUrl}/refresh/${svc.refreshId} with X-Token)`);
      }
      console.log(`${result.statusPage.created ? 'created' : 'updated'} status page "${result.statusPage.slug}"`);
    });
}
