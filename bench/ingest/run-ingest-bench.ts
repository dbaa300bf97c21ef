// npm run bench:ingest [-- --duration 20 --rounds 4 --warmup 5 --connections 50,200 --services 1000
//                         --targets bare,sqlite,postgres --durability process --driver wrk|autocannon]
// Drives the check-in URL /ping/<uuid> over loopback against servers in child processes: a bare
// node:http baseline and Tocsin on SQLite and PostgreSQL, for each connection count. Tocsin runs
// as `npm start` runs it (the compiled build, made first). After the run it counts each Tocsin's
// stored check-ins: every 2xx must be in the database, those of the warm-up too.
// All the servers of one connection count are started at once, but only the one being driven
// runs: the others are stopped (SIGSTOP), so their timers take no CPU from it. The measured
// --duration is cut into --rounds: each round drives every server in turn for duration/rounds
// seconds. This virtual machine's speed drifts by a third from one minute to the next;
// interleaved rounds give each server its share of fast and slow minutes, where back-to-back
// 20 s runs each got one minute.
// Before each drive the bench waits for the machine to go quiet (settle.ts), and each round starts
// with the next server, so no server's after-work (autovacuum, checkpoints) lands on another's
// measured seconds.
// Each server is first driven for --warmup seconds, not counted, as it is when it has been up a
// while: the JIT has compiled the hot path, and each service has had its first check-in (unknown
// to up, a change of state written on the main path; after that, check-ins are steady).
// The load comes from autocannon in this process (the default; installed by npm install) or, with
// --driver wrk, from wrk (Debian's package, C, one thread). On two cores the load generator's own
// CPU is taken from the servers: autocannon spends more per request than the bare server does,
// wrk a fraction of that, so the bare server goes much faster under wrk (see bench/README.md).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpus, freemem, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { DialectName } from '../../src/store/database-url.js';
import { spawnServer } from '../../test/support/server-process.js';
import { perRequest, takeSnapshot, ticksBetween, type CpuPerRequest } from './cpu-meter.js';
import { seedDatabase } from './seed.js';
import { settle } from './settle.js';
import { driveWithWrk } from './wrk-driver.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '4' },
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
const rounds = Number(values.rounds);
const roundSeconds = duration / rounds;
if (!Number.isInteger(roundSeconds) || roundSeconds < 1) throw new Error(`--duration ${duration} must be a whole number of seconds per round (--rounds ${rounds})`);
const warmup = Number(values.warmup);
const connectionCounts = values.connections.split(',').map(Number);
const serviceCount = Number(values.services);
const root = fileURLToPath(new URL('../../', import.meta.url));

/** One server under test: its address, the tokens to ping, and how to stop it. */
interface Target {
  name: string;
  url: string;
  tokens: string[];
  /** The server's process, stopped (SIGSTOP) while another server is driven. */
  child: ChildProcess;
  /** Whether its CPU figures include the PostgreSQL server's processes. */
  onPostgres: boolean;
  /** Stops the server; for Tocsin, returns the check-ins stored in its database. */
  finish(): Promise<number | null>;
}

/** One drive of one server. */
interface Driven {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
  non2xx: number;
}

/** A measured drive, with the CPU ticks spent during it (cpu-meter.ts). */
interface MeasuredDrive extends Driven {
  spent: ReturnType<typeof ticksBetween>;
}

interface Figures extends Driven {
  target: string;
  /** µs of CPU per answered request over all rounds. */
  cpu: CpuPerRequest;
  /** Each round's req/s. */
  roundRates: number[];
  /** 2xx answers of the warm-up (not in the figures, but they must be stored too). */
  warmupOk: number;
  stored: number | null;
}

function driveFor(seconds: number, target: Target, connections: number): Promise<Driven> {
  if (values.driver === 'wrk') return driveWithWrk(target.url, target.tokens, connections, seconds);
  if (values.driver === 'autocannon') return driveWithAutocannon(target.url, target.tokens, connections, seconds);
  throw new Error(`unknown --driver ${values.driver} (wrk or autocannon)`);
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

async function startBare(): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/ingest/bare-server.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(child.stdout!, 'data');
  const tokens = Array.from({ length: serviceCount }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
  return {
    name: 'bare node:http', url: String(line).trim(), tokens, child, onPostgres: false,
    async finish() {
      child.kill('SIGTERM');
      await once(child, 'exit');
      return null;
    },
  };
}

async function startTocsin(dialect: DialectName): Promise<Target> {
  const db = await seedDatabase(dialect, serviceCount);
  const server = await spawnServer({ DATABASE_URL: db.url, TOCSIN_CHECKIN_DURABILITY: values.durability }, ['serve'], { built: true });
  return {
    name: `Tocsin (${dialect})`, url: server.url, tokens: db.tokens, child: server.child, onPostgres: dialect === 'postgres',
    async finish() {
      try {
        await server.kill('SIGTERM');
        return await db.countPings();
      } finally {
        await db.drop();
      }
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/** Starts every target, warms each up, drives them in interleaved rounds, then stops them. */
async function runAt(connections: number, names: string[]): Promise<Figures[]> {
  const targets: Target[] = [];
  const drives: MeasuredDrive[][] = [];
  const warmupOk: number[] = [];
  const stored: (number | null)[] = [];
  try {
    for (const name of names) targets.push(name === 'bare' ? await startBare() : await startTocsin(name as DialectName));
    for (const target of targets) {
      console.error(`# ${target.name}: ${warmup}s warm-up, ${connections} connections, ${serviceCount} services`);
      warmupOk.push(warmup > 0 ? (await driveFor(warmup, target, connections)).ok : 0);
      target.child.kill('SIGSTOP');
      drives.push([]);
    }
    for (let round = 0; round < rounds; round++) {
      console.error(`# round ${round + 1} of ${rounds}: ${roundSeconds}s per server`);
      // Each round starts with the next server, so none always follows the same one.
      for (let k = 0; k < targets.length; k++) {
        const i = (round + k) % targets.length;
        targets[i].child.kill('SIGCONT');
        const { waitedMs, quiet } = await settle();
        console.error(quiet ? `# ${targets[i].name}: quiet after ${waitedMs} ms` : `# the machine stayed busy for ${waitedMs} ms before ${targets[i].name}; driving it anyway`);
        const before = takeSnapshot(targets[i].child.pid);
        const driven = await driveFor(roundSeconds, targets[i], connections);
        drives[i].push({ ...driven, spent: ticksBetween(before, takeSnapshot(targets[i].child.pid)) });
        targets[i].child.kill('SIGSTOP');
      }
    }
  } finally {
    for (const target of targets) {
      target.child.kill('SIGCONT');
      stored.push(await target.finish());
    }
  }
  return targets.map((target, i) => {
    const d = drives[i];
    const sum = (pick: (x: MeasuredDrive) => number) => d.reduce((total, x) => total + pick(x), 0);
    const serverTicks = d.some((x) => x.spent.server === null) ? null : sum((x) => x.spent.server ?? 0);
    const spent = { server: serverTicks, database: sum((x) => x.spent.database), loadGenerator: sum((x) => x.spent.loadGenerator) };
    return {
      target: target.name, roundRates: d.map((x) => x.requestsPerSecond),
      requestsPerSecond: Math.round(sum((x) => x.requestsPerSecond) / d.length),
      p50: median(d.map((x) => x.p50)), p99: Math.max(...d.map((x) => x.p99)),
      ok: sum((x) => x.ok), errors: sum((x) => x.errors), non2xx: sum((x) => x.non2xx), warmupOk: warmupOk[i], stored: stored[i],
      cpu: perRequest(spent, sum((x) => x.ok + x.non2xx), target.onPostgres),
    };
  });
}

const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) throw new Error('npm run build failed');

const runs: { connections: number; results: Figures[] }[] = [];
for (const connections of connectionCounts) runs.push({ connections, results: await runAt(connections, values.targets.split(',')) });

const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(0)} %`;
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free), node ${process.version}`);
for (const { connections, results } of runs) {
  console.log(`\n${values.driver}: ${rounds} rounds of ${roundSeconds}s per server after a ${warmup}s warm-up, ${connections} connections, POST /ping/<uuid> over ${serviceCount} services, TOCSIN_CHECKIN_DURABILITY=${values.durability}\n`);
  console.log('| target | req/s | p50 ms | p99 ms | 2xx | non-2xx | errors | check-ins stored (2xx incl. warm-up) | vs bare | vs bare, per round | CPU µs/request: server / PostgreSQL / load generator |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  const baseline = results.find((r) => r.target.startsWith('bare'));
  for (const r of results) {
    const ratio = baseline ? percent(r.requestsPerSecond, baseline.requestsPerSecond) : '';
    const perRound = baseline ? r.roundRates.map((rate, i) => percent(rate, baseline.roundRates[i])).join(', ') : '';
    const answered = r.ok + r.warmupOk;
    const stored = r.stored === null ? 'n/a' : `${r.stored} of ${answered}${r.stored >= answered ? ' (all 2xx stored)' : ' (MISSING)'}`;
    const cpu = [r.cpu.server, r.cpu.database, r.cpu.loadGenerator].map((v) => (v === null ? '–' : v.toFixed(1))).join(' / ');
    console.log(`| ${r.target} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.ok} | ${r.non2xx} | ${r.errors} | ${stored} | ${ratio} | ${perRound} | ${cpu} |`);
  }
}
if (runs.some(({ results }) => results.some((r) => r.stored !== null && r.stored < r.ok + r.warmupOk))) process.exitCode = 1;
