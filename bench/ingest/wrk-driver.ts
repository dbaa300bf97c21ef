// Runs wrk (Debian's package) against one server with check-ins.lua, which cycles through the
// ping tokens and prints a JSON summary line. wrk counts answers with status >= 400 as errors
// (its "status" errors): every other completed answer here is a 2xx, as the servers answer only
// 200 or 4xx/5xx.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface WrkSummary {
  requests: number; durationUs: number; connectErrors: number; readErrors: number; writeErrors: number;
  statusErrors: number; timeouts: number; p50Us: number; p99Us: number;
}

const script = fileURLToPath(new URL('./check-ins.lua', import.meta.url));

export async function driveWithWrk(url: string, tokens: string[], connections: number, durationSeconds: number) {
  if (spawnSync('wrk', ['--version']).error) throw new Error('wrk is not installed: apt-get install wrk (or run with --driver autocannon)');
  const tokenFile = join(tmpdir(), `tocsin-bench-tokens-${process.pid}.txt`);
  writeFileSync(tokenFile, `${tokens.join('\n')}\n`);
  // One thread: the machine has two cores and the server needs the other one.
  const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${durationSeconds}s`, '--timeout', '10s', '-s', script, url, '--', tokenFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const [code] = await once(child, 'exit');
  rmSync(tokenFile, { force: true });
  const line = output.split('\n').find((l) => l.startsWith('{"requests"'));
  if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}):\n${output}`);
  const s = JSON.parse(line) as WrkSummary;
  return {
    requestsPerSecond: Math.round(s.requests / (s.durationUs / 1e6)),
    p50: Math.round(s.p50Us / 100) / 10, p99: Math.round(s.p99Us / 100) / 10,
    ok: s.requests - s.statusErrors, non2xx: s.statusErrors,
    errors: s.connectErrors + s.readErrors + s.writeErrors + s.timeouts,
  };
}
