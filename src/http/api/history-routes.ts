// Incidents, check results and state-change events: read-only history with cursor pagination.
import Type from 'typebox';
import type { AppContext } from '../../app/context.js';
import { visibleNamespaceIds } from '../../auth/actor.js';
import { requireRole } from '../../auth/actor.js';
import { notFound } from '../../domain/errors.js';
import { actorOf } from '../auth-hooks.js';
import { cursorPageOf, errorResponses, IncidentSchema } from '../schemas.js';
import type { Api } from './api-instance.js';
import { findNamespace, resolvePath, serviceDto } from './catalog-lookup.js';
import { decodeCursor, encodeCursor, isIdCursor, isTimeIdCursor } from './cursor.js';

const limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 }));
const cursor = Type.Optional(Type.String({ maxLength: 200 }));
const time = (description: string) => Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description }));
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const IncidentQuery = Type.Object({
  limit, cursor,
  namespace: Type.Optional(Type.String({ maxLength: 64 })),
  service: Type.Optional(Type.String({ maxLength: 64, description: 'Service id' })),
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])),
  from: time('Opened at or after (epoch ms)'), to: time('Opened before (epoch ms)'),
}, { additionalProperties: false });

const ResultQuery = Type.Object({
  limit, cursor, from: time('At or after (epoch ms)'), to: time('Before (epoch ms)'),
  up: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

const ResultSchema = Type.Object({ id: Type.Number(), serviceId: Type.String(), at: Type.Number(), up: Type.Boolean(), latencyMs: Type.Union([Type.Number(), Type.Null()]), detail: Type.Union([Type.String(), Type.Null()]) });
const EventSchema = Type.Object({ id: Type.Number(), serviceId: Type.String(), at: Type.Number(), fromState: Type.String(), toState: Type.String(), cause: Type.Union([Type.String(), Type.Null()]), incidentId: Type.Union([Type.String(), Type.Null()]) });

export function historyRoutes(app: Api, ctx: AppContext): void {
  app.get('/incidents', {
    schema: { tags: ['incidents'], summary: 'List incidents, newest first', querystring: IncidentQuery, response: { 200: cursorPageOf(IncidentSchema), ...errorResponses } },
  }, async (request) => {
    const actor = actorOf(request);
    const q = request.query;
    const size = q.limit ?? 50;
    let namespaceIds = visibleNamespaceIds(actor);
    if (q.namespace) {
      const ns = await findNamespace(ctx, actor, q.namespace);
      namespaceIds = [ns.id];
    }
    const items = await ctx.data.repos.incidents.list(
      { namespaceIds, serviceId: q.service, status: q.status, from: q.from, to: q.to },
      { limit: size, before: decodeCursor(q.cursor, isTimeIdCursor) },
    );
    const last = items[items.length - 1];
    return { items, nextCursor: items.length === size && last ? encodeCursor({ at: last.openedAt, id: last.id }) : null };
  });

  app.get('/incidents/:id', {
    schema: { tags: ['incidents'], summary: 'Get an incident with its timeline', params: IdParams, response: { 200: IncidentSchema, ...errorResponses } },
  }, async (request) => {
    const incident = await ctx.data.repos.incidents.findById(request.params.id);
    if (!incident) throw notFound('incident');
    requireRole(actorOf(request), incident.namespaceId, 'viewer');
    return incident;
  });

  app.get('/services/:id/results', {
    schema: { tags: ['services'], summary: 'Check results of a service, newest first', params: IdParams, querystring: ResultQuery, response: { 200: cursorPageOf(ResultSchema), ...errorResponses } },
  }, async (request) => {
    const service = await ctx.services.get(actorOf(request), request.params.id);
    const q = request.query;
    const size = q.limit ?? 50;
    const items = await ctx.data.repos.results.list(service.id, { limit: size, beforeId: decodeCursor(q.cursor, isIdCursor), from: q.from, to: q.to, up: q.up });
    return { items, nextCursor: items.length === size ? encodeCursor(items[items.length - 1].id) : null };
  });

  app.get('/services/:id/events', {
    schema: { tags: ['services'], summary: 'State changes of a service, newest first', params: IdParams, querystring: Type.Object({ limit, cursor }, { additionalProperties: false }), response: { 200: cursorPageOf(EventSchema), ...errorResponses } },
  }, async (request) => {
    const service = await ctx.services.get(actorOf(request), request.params.id);
    const size = request.query.limit ?? 50;
    const items = await ctx.data.repos.events.listForService(service.id, { limit: size, beforeId: decodeCursor(request.query.cursor, isIdCursor) });
    return { items, nextCursor: items.length === size ? encodeCursor(items[items.length - 1].id) : null };
  });

  app.get('/paths/*', {
    schema: { tags: ['paths'], summary: 'Resolve a slug path: "acme", "acme/website" or "acme/website/api"', response: { 200: Type.Object({ kind: Type.String(), item: Type.Unknown() }), ...errorResponses } },
  }, async (request) => {
    const path = (request.params as { '*': string })['*'];
    const found = await resolvePath(ctx, actorOf(request), path);
    return found.kind === 'service' ? { kind: found.kind, item: serviceDto(found.item) } : found;
  });
}
