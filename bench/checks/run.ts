// npm run bench:checks [-- --duration 120 --monitors 1000,10000 --type http]
// Starts a local HTTP target in its own process, then for each N a Tocsin scheduler process over
// a fresh SQLite file with N http monitors at a 30 s interval; reports achieved checks/s against
// the expected N/30, schedule lag p50/p99/max, CPU and peak RSS of the scheduler process and the
// database growth. Then kills it with SIGKILL, starts a new process on the same file and reports
// how long until every monitor has run again.
//
// The processes run the compiled JavaScript (as `npm start` does in production), built first
// into bench/results/checks-build: running through tsx adds its loader thread to the memory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const build = join(root, 'bench/results/checks-build');
const { values } = parseArgs({ options: { type: { type: 'string', default: 'http' }, duration: { type: 'string', default: '120' }, monitors: { type: 'string', default: '1000,10000' }, restart: { type: 'string', default: '45' } } });
const durationS = Number(values.duration);
const restartS = Number(values.restart);
const sizes = values.monitors.split(',').map(Number);
const intervalS = 30;

function start(script: string, args: string[] = []): ChildProcess {
  return spawn(process.execPath, [join(build, 'bench/checks', script.replace(/\.ts$/, '.js')), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
}

// Type errors elsewhere in the tree do not stop the emit; only a missing output does.
spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', build, '--noEmit', 'false', '--sourceMap', 'false'], { cwd: root, stdio: 'ignore' });

async function firstLine(child: ChildProcess): Promise<string> {
  let buffer = '';
  for await (const chunk of child.stdout!) {
    buffer += chunk.toString();
    const newline = buffer.indexOf('\n');
    if (newline >= 0) return buffer.slice(0, newline);
  }
  throw new Error('process ended without output');
}

const target = start('target-server.ts');
const targetUrl = `http://127.0.0.1:${(await firstLine(target)).trim()}`;
console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, node ${process.version}`);
console.log(`target: ${targetUrl}; ${values.type} monitors; interval ${intervalS} s; run ${durationS} s per size; restart window ${restartS} s`);

for (const monitors of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-bench-'));
  const dbPath = join(dir, 'tocsin.db');
  // --type tcp runs the same monitors as TCP connects: it shows the scheduler's own cost apart
  // from the http checker's (which opens a fresh connection per check, by design).
  const base = { dbPath, monitors, intervalS, targetUrl, instanceId: 'bench', checkType: values.type };
  const first = start('scheduler-process.ts', [JSON.stringify({ ...base, durationS, create: true, instanceId: `bench-a-${monitors}` })]);
  const report = JSON.parse(await firstLine(first));
  // Other work on the machine skews lag figures; the load average is printed with them.
  console.log(`\nN=${monitors} (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}): ${JSON.stringify(report)}`);
  first.kill('SIGKILL');
  await once(first, 'exit');
  const spawnedAt = Date.now();
  const second = start('scheduler-process.ts', [JSON.stringify({ ...base, durationS: restartS, create: false, instanceId: `bench-b-${monitors}` })]);
  const after = JSON.parse(await firstLine(second));
  console.log(`N=${monitors} after kill -9 and restart (${((Date.now() - spawnedAt) / 1000).toFixed(1)} s window incl. start-up): ${JSON.stringify(after)}`);
  second.kill('SIGTERM');
  await once(second, 'exit');
  rmSync(dir, { recursive: true, force: true });
}
target.kill('SIGTERM');
