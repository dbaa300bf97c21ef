// Notifications as a feature: writes alerts to the outbox inside every state change, serves the
// channel API, and runs the dispatcher and the periodic reminder / flapping jobs.
import type { AppContext } from '../app/context.js';
import { FailureLog } from '../app/failure-log.js';
import type { Feature } from '../app/feature.js';
import { PeriodicJob } from '../app/periodic-job.js';
import { alertsRuntime } from './alerts-runtime.js';
import { channelRoutes } from './channel-routes.js';
import { Dispatcher, type DispatcherOptions } from './dispatcher.js';
import { writeAlertsForMany } from './outbox-writer.js';
import { enqueueReminders, settleFlapping } from './periodic-alerts.js';
import { OutboxRepository } from './store/outbox-repository.js';

/** How long delivered and failed notifications stay in the deliveries log. */
export const deliveryRetentionMs = 30 * 86_400_000;

export interface AlertsFeatureOptions {
  dispatcher?: Partial<Omit<DispatcherOptions, 'instanceId' | 'now'>>;
  /** How often reminders and flapping periods are looked at. */
  periodicIntervalMs?: number;
}

export function alertsFeature(options: AlertsFeatureOptions = {}): Feature {
  let dispatcher: Dispatcher | undefined;
  let periodic: PeriodicJob | undefined;
  let maintenanceRefresh: PeriodicJob | undefined;
  return {
    name: 'alerts',
    setup(ctx, app) {
      const runtime = alertsRuntime(ctx);
      ctx.transitions.onChanges(async (changes, { trx }) => {
        await writeAlertsForMany(changes, trx, runtime.storeDeps);
      });
      // Rows a writer here just committed are claimed at once, not at the next poll.
      ctx.transitions.onCommitted(() => dispatcher?.wake());
      app.register(async (api) => channelRoutes(api, ctx, runtime.channels), { prefix: '/api/v1' });
    },
    async start(ctx) {
      const runtime = alertsRuntime(ctx);
      const logger = ctx.logger.child({ component: 'alerts' });
      await runtime.maintenance.refresh(true);
      maintenanceRefresh = new PeriodicJob(1000, () => runtime.maintenance.refresh(), new FailureLog(logger, 'reading maintenance windows'));
      maintenanceRefresh.start();
      dispatcher = new Dispatcher(ctx.data, runtime.box, logger, {
        instanceId: ctx.settings.instanceId, now: ctx.now, attemptTimeoutMs: runtime.attemptTimeoutMs, ...options.dispatcher,
      });
      dispatcher.start();
      periodic = new PeriodicJob(options.periodicIntervalMs ?? 15_000, () => runPeriodic(ctx), new FailureLog(logger, 'the reminder / flapping job'));
      periodic.start();
    },
    async stop() {
      await maintenanceRefresh?.stop();
      await periodic?.stop();
      await dispatcher?.stop();
    },
  };
}

async function runPeriodic(ctx: AppContext): Promise<void> {
  const deps = alertsRuntime(ctx).storeDeps;
  const now = ctx.now();
  await enqueueReminders(ctx.data, deps, now);
  await settleFlapping(ctx.data, deps, now);
  await new OutboxRepository(ctx.data.db, ctx.data.dialect).pruneFinished(now - deliveryRetentionMs);
}
