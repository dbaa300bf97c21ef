// npm run bench:ingest [-- --duration 20 --warmup 5 --connections 50,200 --services 1000
//                         --targets bare,sqlite,postgres --durability process --driver wrk|autocannon]
// Drives the check-in URL /ping/<uuid> over loopback against servers in child processes: a bare
// node:http baseline, then Tocsin on SQLite and PostgreSQL, once per connection count. Tocsin runs
// as `npm start` runs it (the compiled build, made first). For Tocsin it then counts the stored
// check-ins: every 2xx must be in the database, those of the warm-up too.
// Each server is first driven for --warmup seconds, not counted, as it is when it has been up a
// while: the JIT has compiled the hot path, and each service has had its first check-in (unknown
// to up, a change of state written on the main path; after that, check-ins are steady).
// The load comes from autocannon in this process (the default; installed by npm install) or, with
// --driver wrk, from wrk (Debian's package, C, one thread). On two cores the load generator's own
// CPU is taken from the servers: autocannon spends more per request than the bare server does,
// wrk a fraction of that, so the bare server goes much faster under wrk (see bench/README.md).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpus, freemem, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { DialectName } from '../../src/store/database-url.js';
import { spawnServer } from '../../test/support/server-process.js';
import { seedDatabase } from './seed.js';
import { driveWithWrk } from './wrk-driver.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50,200' },
    services: { type: 'string', default: '1000' },
    targets: { type: 'string', default: 'bare,sqlite,postgres' },
    // TOCSIN_CHECKIN_DURABILITY of the Tocsin servers: process (the default) or disk.
    durability: { type: 'string', default: 'process' },
    driver: { type: 'string', default: 'autocannon' },
  },
});
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const connectionCounts = values.connections.split(',').map(Number);
const serviceCount = Number(values.services);
const root = fileURLToPath(new URL('../../', import.meta.url));

interface Figures {
  target: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  /** 2xx answers of the warm-up (not in the figures, but they must be stored too). */
  warmupOk: number;
  errors: number;
  non2xx: number;
  stored: number | null;
}

type Driven = Omit<Figures, 'target' | 'stored' | 'warmupOk'>;

function driveFor(seconds: number, url: string, tokens: string[], connections: number): Promise<Driven> {
  if (values.driver === 'wrk') return driveWithWrk(url, tokens, connections, seconds);
  if (values.driver === 'autocannon') return driveWithAutocannon(url, tokens, connections, seconds);
  throw new Error(`unknown --driver ${values.driver} (wrk or autocannon)`);
}

/** The warm-up (its 2xx count only, for the stored check), then the measured run. */
async function drive(url: string, tokens: string[], connections: number): Promise<Driven & { warmupOk: number }> {
  const warm = warmup > 0 ? await driveFor(warmup, url, tokens, connections) : undefined;
  return { ...(await driveFor(duration, url, tokens, connections)), warmupOk: warm?.ok ?? 0 };
}

async function driveWithAutocannon(url: string, tokens: string[], connections: number, seconds: number): Promise<Driven> {
  let next = 0;
  const result = await autocannon({
    url, connections, duration: seconds,
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, path: `/ping/${tokens[next++ % tokens.length]}` }) }],
  });
  return {
    requestsPerSecond: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99,
    ok: result['2xx'], errors: result.errors + result.timeouts, non2xx: result.non2xx,
  };
}

async function bare(tokens: string[], connections: number): Promise<Figures> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/ingest/bare-server.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(child.stdout!, 'data');
  try {
    return { target: 'bare node:http', ...(await drive(String(line).trim(), tokens, connections)), stored: null };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

async function tocsin(dialect: DialectName, connections: number): Promise<Figures> {
  const db = await seedDatabase(dialect, serviceCount);
  const server = await spawnServer({ DATABASE_URL: db.url, TOCSIN_CHECKIN_DURABILITY: values.durability }, ['serve'], { built: true });
  try {
    const figures = await drive(server.url, db.tokens, connections);
    await server.kill('SIGTERM');
    return { target: `Tocsin (${dialect})`, ...figures, stored: await db.countPings() };
  } finally {
    await server.kill('SIGTERM');
    await db.drop();
  }
}

const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) throw new Error('npm run build failed');

const fakeTokens = Array.from({ length: serviceCount }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
const runs: { connections: number; results: Figures[] }[] = [];
for (const connections of connectionCounts) {
  const results: Figures[] = [];
  for (const target of values.targets.split(',')) {
    console.error(`# ${target}: ${warmup}s warm-up, then ${duration}s, ${connections} connections, ${serviceCount} services`);
    results.push(target === 'bare' ? await bare(fakeTokens, connections) : await tocsin(target as DialectName, connections));
  }
  runs.push({ connections, results });
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free), node ${process.version}`);
for (const { connections, results } of runs) {
  console.log(`\n${values.driver}: ${duration}s after a ${warmup}s warm-up, ${connections} connections, POST /ping/<uuid> over ${serviceCount} services, TOCSIN_CHECKIN_DURABILITY=${values.durability}\n`);
  console.log('| target | req/s | p50 ms | p99 ms | 2xx | non-2xx | errors | check-ins stored (2xx incl. warm-up) | vs bare |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  const baseline = results.find((r) => r.target.startsWith('bare'))?.requestsPerSecond;
  for (const r of results) {
    const ratio = baseline ? `${((r.requestsPerSecond / baseline) * 100).toFixed(0)} %` : '';
    const answered = r.ok + r.warmupOk;
    const stored = r.stored === null ? 'n/a' : `${r.stored} of ${answered}${r.stored >= answered ? ' (all 2xx stored)' : ' (MISSING)'}`;
    console.log(`| ${r.target} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.ok} | ${r.non2xx} | ${r.errors} | ${stored} | ${ratio} |`);
  }
}
if (runs.some(({ results }) => results.some((r) => r.stored !== null && r.stored < r.ok + r.warmupOk))) process.exitCode = 1;
