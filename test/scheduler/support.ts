// Test support for the scheduler: a context over a fresh database of a given dialect, a catalog
// to put services in, controllable local HTTP targets, and schedulers with fast timings.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildContext } from '../../src/app/build-context.js';
import type { AppContext } from '../../src/app/context.js';
import { systemActor } from '../../src/auth/actor.js';
import type { CreateServiceInput } from '../../src/catalog/service-input.js';
import { readSettings } from '../../src/config/settings.js';
import type { Service } from '../../src/domain/catalog.js';
import { silentLogger } from '../../src/logger.js';
import { MaintenanceCache } from '../../src/maintenance/maintenance-cache.js';
import { defaultSchedulerOptions, Scheduler, type SchedulerOptions } from '../../src/scheduler/scheduler.js';
import { openStore } from '../../src/store/connect.js';
import { parseDatabaseUrl, type DialectName } from '../../src/store/database-url.js';
import { createTestStore } from '../../src/store/test-support/databases.js';

export const actor = systemActor('test');

export interface Harness {
  ctx: AppContext;
  projectId: string;
  namespaceId: string;
  url: string;
  addService(input: Partial<CreateServiceInput> & { name: string }): Promise<Service>;
  startScheduler(options?: Partial<SchedulerOptions>, ctx?: AppContext): Promise<Scheduler>;
  /** A second context over the same database (another instance). */
  secondContext(): AppContext;
  close(): Promise<void>;
}

export const fastTimings: Partial<SchedulerOptions> = {
  leaseTtlMs: 1500, leaseRenewMs: 200, pollMs: 200, reconcileMs: 1000, spreadMs: 1000, flushMs: 50,
};

export async function harness(dialect: DialectName = 'sqlite'): Promise<Harness> {
  const db = await createTestStore(dialect);
  const settingsFor = (instance: string) => readSettings({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', LOG_FORMAT: 'json', TOCSIN_INSTANCE_ID: instance });
  const ctx = buildContext(settingsFor('instance-a'), db.store, silentLogger());
  const ns = await ctx.namespaces.create(actor, { name: 'Acme' });
  const project = await ctx.projects.create(actor, ns.id, { name: 'Website' });
  const schedulers: Scheduler[] = [];
  let extraStores: Array<() => Promise<void>> = [];
  return {
    ctx, projectId: project.id, namespaceId: ns.id, url: db.url,
    addService: (input) => ctx.services.create(actor, project.id, { type: 'http', interval: 1, timeout: 0.5, ...input } as CreateServiceInput),
    async startScheduler(options = {}, on = ctx) {
      const scheduler = new Scheduler(
        { data: on.data, transitions: on.transitions, catalogEvents: on.catalogEvents, maintenance: new MaintenanceCache(on.data.db, on.now, 200), logger: on.logger, now: on.now },
        { ...defaultSchedulerOptions, ...fastTimings, ...options, instanceId: on.settings.instanceId },
      );
      schedulers.push(scheduler);
      await scheduler.start();
      return scheduler;
    },
    secondContext() {
      // A separate connection pool, as a second process would have.
      const store = openStore(parseDatabaseUrl(db.url));
      extraStores.push(() => store.close());
      return buildContext(settingsFor('instance-b'), store, silentLogger());
    },
    async close() {
      for (const s of schedulers) await s.stop();
      for (const close of extraStores) await close();
      extraStores = [];
      await db.drop();
    },
  };
}

export type Behaviour = { status: number; delayMs?: number; hang?: boolean };

/** A local HTTP target: each path answers as told; every request is recorded with its time. */
export interface HttpTarget {
  url: string;
  set(path: string, b: Behaviour): void;
  hits(path: string): number[];
  /** Most requests open at the same time so far. */
  maxConcurrent(): number;
  close(): Promise<void>;
}

export async function httpTarget(): Promise<HttpTarget> {
  const behaviours = new Map<string, Behaviour>();
  const hits = new Map<string, number[]>();
  let open = 0;
  let maxOpen = 0;
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, [...(hits.get(path) ?? []), Date.now()]);
    open++;
    maxOpen = Math.max(maxOpen, open);
    let done = false;
    const end = () => { if (!done) { done = true; open--; } };
    res.once('finish', end);
    res.once('close', end);
    const b = behaviours.get(path) ?? { status: 200 };
    if (b.hang) return; // never answers: the check must time out
    setTimeout(() => { res.statusCode = b.status; res.end('ok'); }, b.delayMs ?? 0);
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    set: (path, b) => behaviours.set(path, b),
    hits: (path) => hits.get(path) ?? [],
    maxConcurrent: () => maxOpen,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(probe: () => Promise<T> | T, timeoutMs = 8000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
