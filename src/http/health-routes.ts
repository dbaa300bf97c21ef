// Liveness (/healthz: the process answers) and readiness (/readyz: the database answers and the
// process is not shutting down), for load balancers and orchestrators.
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.js';

/**
 * A database that stalls (a network partition, a server frozen on I/O) never fails `select 1`; it
 * just never answers. Probes give up long before that, so say "not ready" well within their timeout.
 */
const readinessTimeoutMs = 2000;

export function healthRoutes(app: FastifyInstance, ctx: AppContext, isShuttingDown: () => boolean): void {
  app.get('/healthz', { config: { public: true, ownDeadline: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { public: true, ownDeadline: true }, logLevel: 'warn' }, async (_request, reply) => {
    if (isShuttingDown()) return reply.status(503).send({ status: 'shutting-down' });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the database did not answer within ${readinessTimeoutMs / 1000} s`)), readinessTimeoutMs);
    });
    try {
      await Promise.race([sql`select 1`.execute(ctx.data.db), timedOut]);
      return { status: 'ready', database: ctx.data.dialect };
    } catch (err) {
      return reply.status(503).send({ status: 'database-unavailable', message: (err as Error).message });
    } finally {
      clearTimeout(timer);
    }
  });
}
