// npm run bench:alerts — 1,000 heartbeat services miss their deadline at the same instant; each
// one's "down" webhook is timed from that deadline to its arrival at a local receiver. Tocsin runs
// in-process with all its features (deadline sweeper, outbox written in the state change's
// transaction, dispatcher). Baseline, same run: the same 1,000 webhooks sent straight from a timer
// at a deadline with the same concurrency, no database: the floor of HTTP on this machine.
// Options: BENCH_SERVICES=1000 BENCH_DIALECT=sqlite|postgres|mysql BENCH_CONCURRENCY=<per-channel sends>
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { allFeatures } from '../../src/app/features.js';
import { serve } from '../../src/app/serve.js';
import { alertsFeature } from '../../src/alerts/alerts-feature.js';
import { systemActor } from '../../src/auth/actor.js';
import { alertsRuntime } from '../../src/alerts/alerts-runtime.js';
import { defaultDispatcherOptions } from '../../src/alerts/dispatcher.js';
import { readSettings } from '../../src/config/settings.js';
import { silentLogger } from '../../src/logger.js';
import { webhookNotifier } from '../../src/notifiers/webhook/webhook-notifier.js';
import { renderMessage } from '../../src/notifiers/render/render-message.js';
import type { AlertEvent } from '../../src/notifiers/types.js';
import type { DialectName } from '../../src/store/database-url.js';
import { createTestStore } from '../../src/store/test-support/databases.js';

const count = Number(process.env.BENCH_SERVICES ?? 1000);
const dialect = (process.env.BENCH_DIALECT ?? 'sqlite') as DialectName;
const leadMs = 3000;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? defaultDispatcherOptions.perChannelConcurrency);

function stats(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
}

interface Receiver {
  url: string;
  ask<T>(question: 'count' | 'report'): Promise<T>;
  close(): Promise<void>;
}

async function startReceiverProcess(): Promise<Receiver> {
  const child: ChildProcess = fork(new URL('./receiver-process.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] });
  const [{ url }] = (await once(child, 'message')) as [{ url: string }];
  return {
    url,
    async ask<T>(question: 'count' | 'report') {
      child.send(question);
      return ((await once(child, 'message')) as [T])[0];
    },
    async close() {
      child.send('exit');
      await once(child, 'exit');
    },
  };
}

type Hook = { at: number; kind: string; key: string };

async function received(receiver: Receiver, n: number, timeoutMs: number): Promise<Hook[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { count: got } = await receiver.ask<{ count: number }>('count');
    if (got >= n) return (await receiver.ask<{ hooks: Hook[] }>('report')).hooks;
    if (Date.now() > end) throw new Error(`only ${got} of ${n} webhooks arrived in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function tocsinRun() {
  const receiver = await startReceiverProcess();
  const db = await createTestStore(dialect, { migrate: false });
  await db.store.close();
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-bench-alerts-'));
  const settings = readSettings({
    DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', DATA_DIR: dir,
    TOCSIN_SECRET_KEY: 'bench secret key, not for production',
  });
  const features = allFeatures().map((f) => (f.name === 'alerts' ? alertsFeature({ dispatcher: { perChannelConcurrency: concurrency } }) : f));
  const running = await serve(settings, silentLogger(), features);
  const ctx = running.ctx;
  const actor = systemActor('bench');
  try {
    const ns = await ctx.namespaces.create(actor, { slug: 'bench', name: 'Bench' });
    const project = await ctx.projects.create(actor, ns.id, { slug: 'jobs', name: 'Jobs' });
    const period = 3600;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const svc = await ctx.services.create(actor, project.id, { slug: `job-${i}`, name: `Job ${i}`, type: 'heartbeat', config: { schedule: 'period', period, grace: 0 } });
      ids.push(svc.id);
    }
    const channels = alertsRuntime(ctx).channels;
    const channel = await channels.create(actor, ns.id, { name: 'receiver', type: 'webhook', config: { url: receiver.url } });
    await channels.addRoute(actor, channel.id, { path: 'bench' });
    await new Promise((r) => setTimeout(r, 500)); // let the heartbeat feature review the new services
    // Every service checked in exactly one period before the same deadline.
    const deadline = Date.now() + leadMs;
    await ctx.data.db.updateTable('services')
      .set({ state: 'up', state_changed_at: deadline - period * 1000, last_ping_at: deadline - period * 1000, next_deadline: deadline })
      .where('id', 'in', ids).execute();
    // When the last state change (with its outbox row) was committed: the sweeper's share.
    let enqueuedAt = 0;
    while (!enqueuedAt) {
      const row = await ctx.data.db.selectFrom('notification_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      if (Number(row.n) >= count) enqueuedAt = Date.now();
      else await new Promise((r) => setTimeout(r, 50));
    }
    const hooks = await received(receiver, count, 60_000);
    const latencies = hooks.map((h) => h.at - deadline);
    const kinds = new Set(hooks.map((h) => h.kind));
    return { ...stats(latencies), kinds: [...kinds].join(','), allEnqueuedMs: enqueuedAt - deadline };
  } finally {
    await running.stop();
    await receiver.close();
    await db.drop();
  }
}

async function baselineRun() {
  const receiver = await startReceiverProcess();
  try {
    const deadline = Date.now() + 500;
    await new Promise((r) => setTimeout(r, deadline - Date.now()));
    const queue = Array.from({ length: count }, (_, i) => i);
    const worker = async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const event: AlertEvent = {
          kind: 'down', service: { id: `svc-${i}`, path: `bench/jobs/job-${i}`, name: `Job ${i}`, kind: 'heartbeat', target: null },
          state: 'down', previousState: 'up', cause: 'no check-in', at: deadline, since: deadline, incident: null, link: null,
        };
        await webhookNotifier.send({ event, message: renderMessage(event), config: { url: receiver.url } }, { signal: AbortSignal.timeout(15_000), now: Date.now });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const hooks = await received(receiver, count, 60_000);
    return { ...stats(hooks.map((h) => h.at - deadline)), kinds: 'down' };
  } finally {
    await receiver.close();
  }
}

const baseline = await baselineRun();
const tocsin = await tocsinRun();
console.log(`${count} heartbeats missing one deadline together, ${dialect}, one webhook channel, per-channel concurrency ${concurrency}`);
console.log('| run | webhooks | p50 ms | p99 ms | max ms |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(`| baseline: direct sends from a timer, no database | ${baseline.n} | ${baseline.p50} | ${baseline.p99} | ${baseline.max} |`);
console.log(`| Tocsin: sweeper → state change + outbox → dispatcher | ${tocsin.n} | ${tocsin.p50} | ${tocsin.p99} | ${tocsin.max} |`);
console.log(`All ${count} state changes and outbox rows committed ${tocsin.allEnqueuedMs} ms after the deadline; webhook kinds: ${tocsin.kinds}; load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
process.exit(0);
