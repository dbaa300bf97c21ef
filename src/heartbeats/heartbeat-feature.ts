// Heartbeats (dead man's switches): check-in URLs, their management API, the group-commit writer
// and the deadline sweeper that makes services late and down on time.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.js';
import { FailureLog } from '../app/failure-log.js';
import { PeriodicJob } from '../app/periodic-job.js';
import type { Feature } from '../app/feature.js';
import { systemActor } from '../auth/actor.js';
import { AppError } from '../domain/errors.js';
import { typed } from '../http/api/api-instance.js';
import { BatchWriter } from './batch-writer.js';
import type { CheckInResult } from './check-in.js';
import { CheckInAdmin } from './check-in-admin.js';
import { checkInApiRoutes } from './check-in-api-routes.js';
import { checkInRoutes } from './check-in-routes.js';
import { DeadlineSweeper } from './deadline-sweeper.js';
import { HeartbeatRepository } from './heartbeat-repository.js';
import { defaultInboxMoving, moveInbox } from './ping-inbox-mover.js';
import { defaultPingPruning, pruneOldPings } from './ping-pruner.js';
import { TargetResolver } from './resolve-targets.js';

/** What `?create=1` makes: a daily heartbeat with an hour of grace, like Healthchecks' default. */
export const createdOnFirstUse = { schedule: 'period', period: '1d', grace: '1h' } as const;

export function heartbeatFeature(): Feature {
  let writer: BatchWriter | null = null;
  let sweeper: DeadlineSweeper | null = null;
  let pruner: PeriodicJob | null = null;
  let inboxMover: PeriodicJob | null = null;
  let unsubscribe = () => {};

  return {
    name: 'heartbeats',
    async setup(ctx: AppContext, app: FastifyInstance) {
      const repo = new HeartbeatRepository(ctx.data.db, ctx.data.dialect);
      const resolver = new TargetResolver(repo, (projectId, slug) => createOnFirstUse(ctx, projectId, slug));
      const admin = new CheckInAdmin(ctx, repo);
      writer = new BatchWriter(ctx, repo, resolver);
      sweeper = new DeadlineSweeper(ctx, repo);
      const pruning = { retentionMs: ctx.settings.pingRetentionMs, ...defaultPingPruning };
      const prunerLog = ctx.logger.child({ component: 'ping-pruner' });
      pruner = new PeriodicJob(pruning.everyMs, () => pruneOldPings(ctx.data.db, prunerLog, ctx.now, pruning),
        new FailureLog(prunerLog, 'pruning old check-ins'));
      const moverLog = ctx.logger.child({ component: 'ping-inbox-mover' });
      inboxMover = new PeriodicJob(defaultInboxMoving.everyMs, () => moveInbox(ctx.data.db, ctx.data.dialect, defaultInboxMoving.maxRows),
        new FailureLog(moverLog, 'moving new check-ins into their history'));
      const w = writer;
      await app.register(async (scope) => checkInRoutes(scope, ctx, w));
      await app.register(async (api) => checkInApiRoutes(typed(api), ctx, admin), { prefix: '/api/v1' });
      // A changed schedule takes effect at once: give the service a token if new, and let the
      // sweeper re-evaluate it now. (Other instances do the same for the changes they make.)
      unsubscribe = ctx.catalogEvents.subscribe((change) => {
        if (change.kind !== 'service-upserted') return;
        repo.scheduleReview(change.serviceId, ctx.now(), randomUUID())
          .catch((err: unknown) => ctx.logger.error({ err, serviceId: change.serviceId }, 'heartbeat review failed'));
      });
    },
    async start(ctx: AppContext) {
      await new HeartbeatRepository(ctx.data.db, ctx.data.dialect).fillMissingPingTokens(randomUUID);
      // On a SQLite file, checkpoints move off the event loop (check-ins fill the log quickly).
      ctx.data.store.sqliteSideThread?.start();
      sweeper?.start();
      pruner?.start();
      inboxMover?.start();
    },
    async stop() {
      unsubscribe();
      await pruner?.stop();
      await inboxMover?.stop();
      await sweeper?.stop();
      await writer?.close();
    },
  };
}

/**
 * `?create=1`. Anyone holding the project's ping key may create services, so a leaked key (or a
 * script that puts a timestamp in the slug) is bounded by TOCSIN_AUTO_CREATE_LIMIT services per
 * project. The count is read before the insert: instances creating at the same instant may pass
 * it by a few.
 */
async function createOnFirstUse(ctx: AppContext, projectId: string, slug: string): Promise<CheckInResult> {
  const limit = ctx.settings.autoCreateLimit;
  const { n } = await ctx.data.db.selectFrom('services').select((eb) => eb.fn.countAll<number>().as('n')).where('project_id', '=', projectId).executeTakeFirstOrThrow();
  if (Number(n) >= limit) {
    const why = limit === 0 ? 'creating services by check-in is turned off on this server (TOCSIN_AUTO_CREATE_LIMIT=0)'
      : `this project already holds ${Number(n)} services, the most that ?create=1 may reach (TOCSIN_AUTO_CREATE_LIMIT=${limit})`;
    return { ok: false, status: 403, message: `${why}; create "${slug}" through the API or the config file` };
  }
  try {
    const service = await ctx.services.create(systemActor('check-in'), projectId, { name: slug, slug, type: 'heartbeat', config: { ...createdOnFirstUse } });
    return { ok: true, serviceIds: [service.id], created: true };
  } catch (err) {
    // Two first check-ins at once: the other one created it.
    if (!(err instanceof AppError && err.code === 'conflict')) throw err;
    const found = await ctx.data.db.selectFrom('services').select('id').where('project_id', '=', projectId).where('slug', '=', slug).executeTakeFirstOrThrow();
    return { ok: true, serviceIds: [found.id] };
  }
}
