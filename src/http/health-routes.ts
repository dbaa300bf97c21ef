// Liveness (/healthz: the process answers) and readiness (/readyz: the database answers and the
// process is not shutting down), for load balancers and orchestrators.
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.js';

export function healthRoutes(app: FastifyInstance, ctx: AppContext, isShuttingDown: () => boolean): void {
  app.get('/healthz', { config: { public: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { public: true }, logLevel: 'warn' }, async (_request, reply) => {
    if (isShuttingDown()) return reply.status(503).send({ status: 'shutting-down' });
    try {
      await sql`select 1`.execute(ctx.data.db);
      return { status: 'ready', database: ctx.data.dialect };
    } catch (err) {
      return reply.status(503).send({ status: 'database-unavailable', message: (err as Error).message });
    }
  });
}
