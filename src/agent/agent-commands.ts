// `tocsin agent` and `tocsin run`: client-side helpers that check in to a heartbeat URL. They
// need no database and no settings, only the check-in URL.
import type { Command } from 'commander';
import { parseDuration } from '../domain/duration.js';
import { runAgent } from './agent.js';
import { defaultRetryPolicy } from './report.js';
import { runWrapped } from './run-wrapper.js';
import { UsageError } from '../cli/usage-error.js';

const log = (line: string) => console.error(line);

/** The largest TOCSIN_PING_BODY_LIMIT a server accepts (config/settings.ts). */
const maxTailBytes = 16 * 1024 * 1024;

function checkUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
  } catch {
    throw new UsageError(`--url must be an http(s) check-in URL (got "${url}")`);
  }
  return url;
}

export function agentCommands(program: Command): void {
  program.command('agent')
    .description('run on a host: check in on schedule with the hostname, uptime, load, memory and disk use')
    .requiredOption('--url <url>', 'the heartbeat check-in URL, e.g. https://tocsin.example.com/ping/<uuid>')
    .option('--interval <duration>', 'time between check-ins', '60s')
    .option('--disk <path>', 'report the disk use of this path', '/')
    .action(async (opts: { url: string; interval: string; disk: string }) => {
      const intervalMs = parseDuration(opts.interval);
      // At most a day: Node fires a timer of more than 2^31-1 ms (24.8 days) at once, so a longer
      // interval would check in continuously.
      if (intervalMs === null || intervalMs < 1000 || intervalMs > 86_400_000) throw new UsageError('--interval must be a duration from 1s to 24h, e.g. "60s"');
      const stop = new AbortController();
      process.once('SIGTERM', () => stop.abort());
      process.once('SIGINT', () => stop.abort());
      await runAgent({ url: checkUrl(opts.url), intervalMs, diskPath: opts.disk, signal: stop.signal, log });
    });

  program.command('run')
    .description('signal start, run a command, then signal its exit status with the tail of its output')
    .requiredOption('--url <url>', 'the heartbeat check-in URL (/start and /<exit-status> are appended)')
    .option('--tail <bytes>', 'how much of the end of the output to send', '10240')
    .option('--retries <n>', 'tries again (after 1s, 2s, 4s…) when a signal gets no answer, 429 or 5xx', String(defaultRetryPolicy.retries))
    .argument('<command>', 'the command to run (put it after --)')
    .argument('[args...]', 'its arguments')
    .action(async (command: string, args: string[], opts: { url: string; tail: string; retries: string }) => {
      const tailBytes = Number(opts.tail);
      // The tail is held in memory; more than a server keeps of a check-in body (TOCSIN_PING_BODY_LIMIT at most) is waste.
      if (!Number.isInteger(tailBytes) || tailBytes < 0 || tailBytes > maxTailBytes) throw new UsageError(`--tail must be a number of bytes from 0 to ${maxTailBytes}`);
      const retries = Number(opts.retries);
      if (!Number.isInteger(retries) || retries < 0 || retries > 10) throw new UsageError('--retries must be a whole number from 0 to 10');
      const retry = { ...defaultRetryPolicy, retries };
      const status = await runWrapped({ url: checkUrl(opts.url), command, args, tailBytes, retry, log });
      process.exit(status);
    });
}
