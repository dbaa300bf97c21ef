// Public routes: pages, their JSON, feed and history, badges, the live script, and "/" for a
// custom domain or the site's front page. None needs credentials.
import Type from 'typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { typed } from '../../http/api/api-instance.js';
import { badgeWindows, type BadgeWindow } from '../badges/badge-data.js';
import { clientScript } from '../render/client-script.js';
import { clientScriptPath } from '../render/layout.js';
import { renderNotFound } from '../render/page-view.js';
import type { BadgeKind, StatusPageSite } from '../status-page-site.js';
import { cachedBody, sendCached, type CachedBody } from './cached-body.js';

const publicRoute = { config: { public: true }, schema: { hide: true } } as const;
const script = cachedBody(clientScript, 'text/javascript; charset=utf-8', 'public, max-age=3600');
const Slug = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 255 }) });
const BadgeQuery = Type.Object({
  window: Type.Optional(Type.Union(Object.keys(badgeWindows).map((w) => Type.Literal(w)))),
});
const badgeFiles: Record<string, BadgeKind> = { 'status.svg': 'status', 'uptime.svg': 'uptime', 'response-time.svg': 'response-time' };

function notFoundPage(reply: FastifyReply, message: string) {
  return reply.status(404).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(renderNotFound(message));
}

export function publicRoutes(app: FastifyInstance, site: StatusPageSite): void {
  const api = typed(app);
  const answer = (found: CachedBody | null, request: Parameters<typeof sendCached>[0], reply: FastifyReply, what: string) =>
    found ? sendCached(request, reply, found) : notFoundPage(reply, `There is no status page "${what}".`);

  api.get(clientScriptPath, publicRoute, (request, reply) => sendCached(request, reply, script));

  api.get('/status/:slug', { ...publicRoute, schema: { ...publicRoute.schema, params: Slug } },
    async (request, reply) => answer(await site.pageHtml(request.params.slug), request, reply, request.params.slug));

  api.get('/status/:slug/data.json', { ...publicRoute, schema: { ...publicRoute.schema, params: Slug } }, async (request, reply) => {
    const found = await site.pageData(request.params.slug);
    if (!found) return reply.status(404).send({ error: { code: 'not_found', message: 'status page not found', details: null } });
    // Public data, meant to be embedded: any site may read it from a browser.
    reply.header('access-control-allow-origin', '*');
    return sendCached(request, reply, found);
  });

  api.get('/status/:slug/feed.atom', { ...publicRoute, schema: { ...publicRoute.schema, params: Slug } },
    async (request, reply) => answer(await site.feed(request.params.slug), request, reply, request.params.slug));

  // An empty month (a form left blank) means the current month, as no month does.
  api.get('/status/:slug/history', {
    ...publicRoute,
    schema: { ...publicRoute.schema, params: Slug, querystring: Type.Object({ month: Type.Optional(Type.String({ pattern: '^(\\d{4}-(0[1-9]|1[0-2]))?$' })) }) },
  }, async (request, reply) => answer(await site.history(request.params.slug, request.query.month || undefined), request, reply, request.params.slug));

  const badge = async (reply: FastifyReply, request: Parameters<typeof sendCached>[0], path: { ns: string; project: string; service?: string }, file: string, window: BadgeWindow) => {
    const kind = badgeFiles[file];
    const found = kind ? await site.badge(path, kind, window) : null;
    if (!found) return reply.status(404).send({ error: { code: 'not_found', message: 'no badge here: unknown file, or the service is on no status page', details: null } });
    return sendCached(request, reply, found);
  };
  api.get('/badge/:ns/:project/:file', {
    ...publicRoute,
    schema: { ...publicRoute.schema, params: Type.Object({ ns: Type.String(), project: Type.String(), file: Type.String() }), querystring: BadgeQuery },
  }, (request, reply) => badge(reply, request, request.params, request.params.file, (request.query.window ?? '24h') as BadgeWindow));
  api.get('/badge/:ns/:project/:service/:file', {
    ...publicRoute,
    schema: { ...publicRoute.schema, params: Type.Object({ ns: Type.String(), project: Type.String(), service: Type.String(), file: Type.String() }), querystring: BadgeQuery },
  }, (request, reply) => badge(reply, request, request.params, request.params.file, (request.query.window ?? '24h') as BadgeWindow));

  // "/" belongs to a page only when a custom domain or the explicit front-page flag says so;
  // otherwise the request goes on to whatever else serves "/".
  app.addHook('onRequest', async (request, reply) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || request.url.split('?')[0] !== '/') return;
    const slug = await site.slugForRoot(request.hostname);
    if (!slug) return;
    const found = await site.pageHtml(slug);
    if (found) return sendCached(request, reply, found);
  });
}
