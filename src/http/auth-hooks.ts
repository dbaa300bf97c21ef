// Resolves who is calling from `Authorization: Bearer <api key>` or the session cookie.
// Every route is private unless its route config says `public: true`.
import '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import type { Actor } from '../auth/actor.js';
import { unauthorized } from '../domain/errors.js';

export const sessionCookie = 'tocsin_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
  interface FastifyContextConfig {
    /** No credentials needed (health, login, public pages, check-in URLs). */
    public?: boolean;
  }
}

async function resolveActor(ctx: AppContext, request: FastifyRequest): Promise<Actor | undefined> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('Authorization header must be "Bearer <api key>"');
    const actor = await ctx.auth.actorForApiKey(match[1]);
    if (!actor) throw unauthorized('API key is not valid (unknown, revoked or expired)');
    return actor;
  }
  const token = request.cookies?.[sessionCookie];
  if (token) return ctx.auth.actorForSession(token);
  return undefined;
}

export function registerAuthHooks(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.public) return;
    if (!request.routeOptions.url) return; // 404s fall through to the not-found handler
    const actor = await resolveActor(ctx, request);
    if (!actor) throw unauthorized('sign in, or send an API key as "Authorization: Bearer <key>"');
    request.actor = actor;
  });
}

/** The caller of a private route; throws if a route forgot it is public. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthorized();
  return request.actor;
}
