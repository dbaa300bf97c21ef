// A catalog and alerting wired over a real store for tests: an AppContext, the alert listener on
// its state transitions, helpers to make services and to move them between states.
import { randomBytes } from 'node:crypto';
import { buildContext } from '../../app/build-context.js';
import type { AppContext } from '../../app/context.js';
import { systemActor } from '../../auth/actor.js';
import { readSettings } from '../../config/settings.js';
import type { Service } from '../../domain/catalog.js';
import type { ServiceState } from '../../domain/service-state.js';
import { silentLogger } from '../../logger.js';
import type { Store } from '../../store/connect.js';
import { MaintenanceCache } from '../../maintenance/maintenance-cache.js';
import type { Channel } from '../channel.js';
import type { CreateChannelInput } from '../channel-input.js';
import { ChannelService } from '../channel-service.js';
import { writeAlertsForMany, type AlertStoreDeps } from '../outbox-writer.js';
import { SecretBox } from '../secret-box.js';
import { OutboxRepository, type OutboxItem } from '../store/outbox-repository.js';

export const admin = systemActor('test');

export interface AlertTestbed {
  ctx: AppContext;
  box: SecretBox;
  deps: AlertStoreDeps;
  maintenance: MaintenanceCache;
  channels: ChannelService;
  /** A fresh namespace slug for this test, so tests sharing a database stay apart. */
  namespace: string;
  service(path: `${string}/${string}`, options?: { kind?: 'check' | 'heartbeat'; tags?: string[] }): Promise<Service>;
  channel(input: Partial<CreateChannelInput> & { url: string }, routes?: { path: string; tags?: string[] }[]): Promise<Channel>;
  /** Records a state change the way checkers do (incident opened on down, resolved on up). */
  transition(service: Service, from: ServiceState, to: ServiceState, at: number, cause?: string): Promise<void>;
  outboxFor(service: Service): Promise<OutboxItem[]>;
}

export const testKey = randomBytes(32);

export async function alertTestbed(store: Store, options: { now?: () => number } = {}): Promise<AlertTestbed> {
  const settings = readSettings({ DATABASE_URL: 'sqlite::memory:', LOG_FORMAT: 'json', TOCSIN_PUBLIC_URL: 'https://tocsin.test' });
  const ctx = buildContext(settings, store, silentLogger(), options.now ?? Date.now);
  const box = new SecretBox(testKey);
  const maintenance = new MaintenanceCache(store.db, ctx.now, 0);
  const deps: AlertStoreDeps = { box, dialect: store.dialect, publicUrl: settings.publicUrl, maintenance };
  ctx.transitions.onChanges((changes, { trx }) => writeAlertsForMany(changes, trx, deps).then(() => undefined));
  const channels = new ChannelService({ data: ctx.data, box, now: ctx.now, instanceId: 'testbed', publicUrl: settings.publicUrl, attemptTimeoutMs: 2000 });
  const namespace = `ns-${randomBytes(4).toString('hex')}`;
  const ns = await ctx.namespaces.create(admin, { slug: namespace, name: namespace });
  const projects = new Map<string, string>();

  return {
    ctx, box, deps, maintenance, channels, namespace,
    async service(path, opts = {}) {
      const [projectSlug, slug] = path.split('/');
      let projectId = projects.get(projectSlug);
      if (!projectId) {
        projectId = (await ctx.projects.create(admin, ns.id, { slug: projectSlug, name: projectSlug })).id;
        projects.set(projectSlug, projectId);
      }
      const heartbeat = opts.kind === 'heartbeat';
      return ctx.services.create(admin, projectId, {
        slug, name: `Service ${slug}`, type: heartbeat ? 'heartbeat' : 'tcp',
        config: heartbeat ? { schedule: 'period', period: '1h' } : { host: '127.0.0.1', port: 9 },
        tags: opts.tags ?? [],
      });
    },
    async channel(input, routes = [{ path: namespace }]) {
      const { url, ...rest } = input;
      const channel = await channels.create(admin, ns.id, { name: `hook-${randomBytes(3).toString('hex')}`, type: 'webhook', config: { url }, ...rest });
      for (const route of routes) await channels.addRoute(admin, channel.id, route);
      return channel;
    },
    async transition(service, from, to, at, cause = `went ${to}`) {
      await ctx.data.transaction(async (repos, trx) => {
        await ctx.transitions.record({
          service, from, to, at, cause, openIncident: to === 'down', resolveIncident: to === 'up' && from === 'down',
        }, repos, trx);
        await repos.services.update(service.id, { state: to, state_changed_at: at });
      });
    },
    outboxFor: (service) => new OutboxRepository(store.db, store.dialect).listForService(service.id),
  };
}
