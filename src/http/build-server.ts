// Builds the Fastify server: validation, errors, auth, OpenAPI, the REST API and each feature's
// routes. Routes stay thin: schema, auth, one call into a domain service, a reply.
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.js';
import type { Feature } from '../app/feature.js';
import { typed } from './api/api-instance.js';
import { authRoutes } from './api/auth-routes.js';
import { historyRoutes } from './api/history-routes.js';
import { namespaceRoutes } from './api/namespace-routes.js';
import { projectRoutes } from './api/project-routes.js';
import { serviceRoutes } from './api/service-routes.js';
import { registerAuthHooks } from './auth-hooks.js';
import { registerErrorHandler, sendError } from './error-handler.js';
import { healthRoutes } from './health-routes.js';
import { registerRequestDeadline } from './request-deadline.js';
import { registerValidators } from './validators.js';

export interface ServerHandle {
  app: FastifyInstance;
  markShuttingDown(): void;
}

export async function buildServer(ctx: AppContext, features: Feature[]): Promise<ServerHandle> {
  let shuttingDown = false;
  const app = Fastify({
    loggerInstance: ctx.logger.child({ component: 'http' }) as FastifyBaseLogger,
    bodyLimit: ctx.settings.bodyLimit,
    trustProxy: ctx.settings.trustProxy,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Malformed URLs and headers are the client's fault: answer in our error shape, not Fastify's.
    frameworkErrors: (error, _request, reply) => { sendError(reply, 400, 'bad_request', error.message); },
  });
  // Public routes say so in the OpenAPI document (an empty security requirement).
  app.addHook('onRoute', (route) => {
    if (route.config?.public && route.schema) route.schema = { ...route.schema, security: [] };
    else if (route.config?.public) route.schema = { security: [] };
  });
  registerRequestDeadline(app, ctx.settings.requestTimeoutMs);
  registerValidators(app);
  registerErrorHandler(app);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Tocsin API', version: '1', description: 'Manage namespaces, projects, services, incidents and more.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer tsn_…' },
          session: { type: 'apiKey', in: 'cookie', name: 'tocsin_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
  });
  registerAuthHooks(app, ctx);
  healthRoutes(app, ctx, () => shuttingDown);

  await app.register(async (api) => {
    const t = typed(api);
    namespaceRoutes(t, ctx);
    projectRoutes(t, ctx);
    serviceRoutes(t, ctx);
    historyRoutes(t, ctx);
    authRoutes(t, ctx);
    api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  }, { prefix: '/api/v1' });

  for (const feature of features) await feature.setup?.(ctx, app);
  await app.ready();
  return { app, markShuttingDown: () => { shuttingDown = true; } };
}
