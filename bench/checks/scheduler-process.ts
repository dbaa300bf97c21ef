// One Tocsin scheduler in its own process over an SQLite file, as the benchmark's "server".
// Usage: node --import tsx bench/checks/scheduler-process.ts '<json options>'
// Creates N http monitors when asked, runs the real scheduler (real http checker, batched writes,
// roll-up-ready results) for the given duration, then prints one JSON line of measurements.
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildContext } from '../../src/app/build-context.js';
import { readSettings } from '../../src/config/settings.js';
import { silentLogger } from '../../src/logger.js';
import { MaintenanceCache } from '../../src/maintenance/maintenance-cache.js';
import { defaultSchedulerOptions, Scheduler } from '../../src/scheduler/scheduler.js';
import { openStore } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { peakRssMb, percentileOf, round, sqliteBytes } from './measure.js';

interface Options {
  dbPath: string;
  monitors: number;
  intervalS: number;
  targetUrl: string;
  durationS: number;
  create: boolean;
  instanceId: string;
  /** 'http' (the benchmark) or 'tcp' (to tell the checker's own cost from the scheduler's). */
  checkType?: 'http' | 'tcp';
}

const options = JSON.parse(process.argv[2]) as Options;
const store = openStore({ dialect: 'sqlite', location: options.dbPath });
await migrateToLatest(store);
const ctx = buildContext(readSettings({ DATABASE_URL: `sqlite:${options.dbPath}`, TOCSIN_INSTANCE_ID: options.instanceId }), store, silentLogger());

if (options.create) {
  const now = Date.now();
  const nsId = randomUUID();
  const projectId = randomUUID();
  await store.db.insertInto('namespaces').values({ id: nsId, slug: 'bench', name: 'Bench', description: null, managed_by: null, created_at: now, updated_at: now }).execute();
  await store.db.insertInto('projects').values({ id: projectId, namespace_id: nsId, slug: 'targets', name: 'Targets', description: null, managed_by: null, created_at: now, updated_at: now }).execute();
  for (let i = 0; i < options.monitors; i += 500) {
    const rows = [];
    for (let j = i; j < Math.min(options.monitors, i + 500); j++) {
      rows.push({
        id: randomUUID(), project_id: projectId, namespace_id: nsId, slug: `m${j}`, name: `Monitor ${j}`, description: null,
        kind: 'check', check_type: options.checkType ?? 'http',
        config: JSON.stringify(options.checkType === 'tcp' ? { host: '127.0.0.1', port: Number(new URL(options.targetUrl).port) } : { url: `${options.targetUrl}/m${j}` }),
        interval_ms: options.intervalS * 1000, timeout_ms: 10_000, retries: 1, retry_interval_ms: options.intervalS * 1000,
        upside_down: 0, paused: 0, state: 'unknown', state_changed_at: now, consecutive_failures: 0, last_checked_at: null,
        last_latency_ms: null, last_detail: null, managed_by: null, created_at: now, updated_at: now,
      });
    }
    await store.db.insertInto('services').values(rows).execute();
  }
}

const startedAt = Date.now();
const lags: number[] = [];
/** Worst lag per 5-second slice of the run: shows whether lag comes in bursts. */
const worstBySlice: number[] = [];
const firstStart = new Map<string, number>();
let results = 0;
const bytesBefore = sqliteBytes(options.dbPath);
const scheduler = new Scheduler(
  { data: ctx.data, transitions: ctx.transitions, catalogEvents: ctx.catalogEvents, maintenance: new MaintenanceCache(ctx.data.db, ctx.now), logger: ctx.logger, now: ctx.now },
  {
    ...defaultSchedulerOptions, instanceId: options.instanceId,
    onCheckStart: (id, due, started) => {
      lags.push(started - due);
      const slice = Math.floor((started - startedAt) / 5000);
      worstBySlice[slice] = Math.max(worstBySlice[slice] ?? 0, started - due);
      if (!firstStart.has(id)) firstStart.set(id, started);
    },
    onBatch: ({ written }) => { results += written; },
  },
);
/** Largest memory figures seen, sampled every second (where peak RSS comes from). */
const memoryPeaks = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const memorySampler = setInterval(() => {
  const m = process.memoryUsage();
  for (const key of Object.keys(memoryPeaks) as Array<keyof typeof memoryPeaks>) memoryPeaks[key] = Math.max(memoryPeaks[key], round(m[key] / 2 ** 20));
}, 1000);
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const cpuBefore = process.cpuUsage();
await scheduler.start();
await new Promise((resolve) => setTimeout(resolve, options.durationS * 1000));
const cpu = process.cpuUsage(cpuBefore);
const elapsedS = (Date.now() - startedAt) / 1000;
const sorted = [...lags].sort((a, b) => a - b);
const allStartedAt = firstStart.size === options.monitors ? Math.max(...firstStart.values()) - startedAt : null;
const report = {
  monitors: options.monitors,
  elapsedS: round(elapsedS),
  checksStarted: lags.length,
  resultsWritten: results,
  checksPerS: round(lags.length / elapsedS, 2),
  expectedPerS: round(options.monitors / options.intervalS, 2),
  lagMs: { p50: round(percentileOf(sorted, 0.5), 2), p99: round(percentileOf(sorted, 0.99), 2), max: round(sorted[sorted.length - 1] ?? NaN, 2) },
  cpuPercentOfOneCore: round(((cpu.user + cpu.system) / 1000 / (elapsedS * 1000)) * 100),
  peakRssMb: round(peakRssMb()),
  dbGrowthMb: round((sqliteBytes(options.dbPath) - bytesBefore) / 1024 / 1024, 2),
  distinctMonitorsRun: firstStart.size,
  allMonitorsRunWithinS: allStartedAt === null ? null : round(allStartedAt / 1000),
  worstLagPer5sMs: worstBySlice,
  memoryPeaksMb: memoryPeaks,
  eventLoopDelayMs: { p99: round(loopDelay.percentile(99) / 1e6), max: round(loopDelay.max / 1e6) },
};
clearInterval(memorySampler);
process.stdout.write(`${JSON.stringify(report)}\n`);
// The parent either kills this process (restart scenario) or sends SIGTERM for a graceful stop.
process.on('SIGTERM', () => {
  scheduler.stop().then(() => store.close()).then(() => process.exit(0));
});
