// The pieces of alerting built once per running Tocsin (per AppContext): the secret box, the
// channel service. The feature and the config-file section both get them from here, whichever runs
// first (the config file is applied before features are set up).
import type { AppContext } from '../app/context.js';
import { MaintenanceCache } from '../maintenance/maintenance-cache.js';
import { ChannelService } from './channel-service.js';
import type { AlertStoreDeps } from './outbox-writer.js';
import { SecretBox } from './secret-box.js';
import { resolveSecretKey } from './secret-key.js';

export interface AlertsRuntime {
  box: SecretBox;
  maintenance: MaintenanceCache;
  storeDeps: AlertStoreDeps;
  channels: ChannelService;
  attemptTimeoutMs: number;
}

const runtimes = new WeakMap<AppContext, AlertsRuntime>();

export function alertsRuntime(ctx: AppContext): AlertsRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    const logger = ctx.logger.child({ component: 'alerts' });
    const box = new SecretBox(() => resolveSecretKey({ secretKey: ctx.settings.secretKey, dataDir: ctx.settings.dataDir, dialect: ctx.data.dialect }, logger));
    const attemptTimeoutMs = 15_000;
    const maintenance = new MaintenanceCache(ctx.data.db, ctx.now);
    runtime = {
      box,
      maintenance,
      attemptTimeoutMs,
      storeDeps: { box, dialect: ctx.data.dialect, publicUrl: ctx.settings.publicUrl, maintenance },
      channels: new ChannelService({
        data: ctx.data, box, now: ctx.now, instanceId: ctx.settings.instanceId, publicUrl: ctx.settings.publicUrl, attemptTimeoutMs,
      }),
    };
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
