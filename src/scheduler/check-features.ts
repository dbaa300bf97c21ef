// The features of active checks: maintenance window routes, the scheduler, and retention
// (roll-ups and pruning). They share one maintenance cache so that a window changed through this
// instance's API applies to its very next check.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.js';
import type { Feature } from '../app/feature.js';
import { typed } from '../http/api/api-instance.js';
import { MaintenanceCache } from '../maintenance/maintenance-cache.js';
import { maintenanceRoutes } from '../maintenance/maintenance-routes.js';
import { MaintenanceService } from '../maintenance/maintenance-service.js';
import { defaultRollupKeep } from '../retention/prune.js';
import { defaultRetentionTiming, RetentionRunner } from '../retention/retention-runner.js';
import { defaultSchedulerOptions, Scheduler, type SchedulerOptions } from './scheduler.js';

export interface CheckFeatureOptions {
  scheduler?: Partial<Omit<SchedulerOptions, 'instanceId'>>;
  retention?: Partial<typeof defaultRetentionTiming>;
}

export function checkFeatures(options: CheckFeatureOptions = {}): Feature[] {
  let cache: MaintenanceCache | undefined;
  const cacheFor = (ctx: AppContext) => (cache ??= new MaintenanceCache(ctx.data.db, ctx.now));
  let scheduler: Scheduler | undefined;
  let retention: RetentionRunner | undefined;

  const maintenance: Feature = {
    name: 'maintenance-windows',
    async setup(ctx: AppContext, app: FastifyInstance) {
      const shared = cacheFor(ctx);
      const service = new MaintenanceService(ctx.data, ctx.now, () => shared.invalidate());
      await app.register(async (api) => maintenanceRoutes(typed(api), ctx, service), { prefix: '/api/v1' });
    },
  };

  const checks: Feature = {
    name: 'scheduler',
    async start(ctx: AppContext) {
      scheduler = new Scheduler(
        { data: ctx.data, transitions: ctx.transitions, catalogEvents: ctx.catalogEvents, maintenance: cacheFor(ctx), logger: ctx.logger.child({ component: 'scheduler' }), now: ctx.now },
        { ...defaultSchedulerOptions, maxConcurrency: ctx.settings.checkConcurrency, ...options.scheduler, instanceId: ctx.settings.instanceId },
      );
      await scheduler.start();
    },
    async stop() {
      await scheduler?.stop();
    },
  };

  const retain: Feature = {
    name: 'retention',
    start(ctx: AppContext) {
      retention = new RetentionRunner(ctx.data, ctx.logger.child({ component: 'retention' }), ctx.now, {
        instanceId: ctx.settings.instanceId,
        periods: { rawMs: ctx.settings.resultRetentionMs, ...defaultRollupKeep },
        ...defaultRetentionTiming, ...options.retention,
      });
      retention.start();
    },
    async stop() {
      await retention?.stop();
    },
  };

  return [maintenance, checks, retain];
}
