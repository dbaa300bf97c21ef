// REST API of maintenance windows: /api/v1/maintenance-windows (CRUD, authenticated).
import Type from 'typebox';
import type { AppContext } from '../app/context.js';
import type { Actor } from '../auth/actor.js';
import type { Api } from '../http/api/api-instance.js';
import { findNamespace, resolvePath } from '../http/api/catalog-lookup.js';
import { actorOf } from '../http/auth-hooks.js';
import { errorResponses } from '../http/schemas.js';
import { CreateMaintenanceSchema, UpdateMaintenanceSchema } from './maintenance-input.js';
import type { MaintenanceService, MaintenanceTarget } from './maintenance-service.js';
import { occurrenceAt, occurrencesBetween, type MaintenanceWindow } from './maintenance-window.js';

const nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);
const OccurrenceSchema = Type.Object({ start: Type.Number(), end: Type.Number() });
const MaintenanceWindowSchema = Type.Object({
  id: Type.String(), namespaceId: Type.String(), scope: Type.String(), scopeId: Type.String(), target: Type.String(),
  title: Type.String(), description: nullable(Type.String()), startsAt: nullable(Type.Number()), endsAt: nullable(Type.Number()),
  cron: nullable(Type.String()), durationMs: nullable(Type.Number()), timeZone: nullable(Type.String()),
  managedBy: nullable(Type.String()), createdAt: Type.Number(), updatedAt: Type.Number(),
  activeNow: Type.Boolean(), current: Type.Union([OccurrenceSchema, Type.Null()]), next: Type.Union([OccurrenceSchema, Type.Null()]),
}, { additionalProperties: false });

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ListQuery = Type.Object({ namespace: Type.Optional(Type.String({ maxLength: 64, description: 'Namespace id or slug' })) }, { additionalProperties: false });
const tags = ['maintenance'];

async function resolveTarget(ctx: AppContext, actor: Actor, path: string): Promise<MaintenanceTarget> {
  const found = await resolvePath(ctx, actor, path);
  if (found.kind === 'namespace') return { scope: 'namespace', scopeId: found.item.id, namespaceId: found.item.id };
  return { scope: found.kind, scopeId: found.item.id, namespaceId: found.item.namespaceId };
}

async function targetPath(ctx: AppContext, window: MaintenanceWindow): Promise<string> {
  const repos = ctx.data.repos;
  const item = window.scope === 'service' ? await repos.services.findById(window.scopeId)
    : window.scope === 'project' ? await repos.projects.findById(window.scopeId)
      : await repos.namespaces.findById(window.scopeId);
  return item?.path ?? '';
}

async function toDto(ctx: AppContext, window: MaintenanceWindow) {
  const now = ctx.now();
  const current = occurrenceAt(window, now);
  const next = occurrencesBetween(window, now + 1, now + 400 * 86_400_000, 2).find((o) => o.start > now) ?? null;
  return {
    ...window, target: await targetPath(ctx, window), activeNow: current !== null,
    current: current && { start: current.start, end: current.end }, next: next && { start: next.start, end: next.end },
  };
}

export function maintenanceRoutes(app: Api, ctx: AppContext, service: MaintenanceService): void {
  app.get('/maintenance-windows', {
    schema: { tags, summary: 'List maintenance windows', querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(MaintenanceWindowSchema) }), ...errorResponses } },
  }, async (request) => {
    const actor = actorOf(request);
    const namespaceId = request.query.namespace ? (await findNamespace(ctx, actor, request.query.namespace)).id : undefined;
    const windows = await service.list(actor, namespaceId);
    return { items: await Promise.all(windows.map((w) => toDto(ctx, w))) };
  });

  app.post('/maintenance-windows', {
    schema: { tags, summary: 'Create a maintenance window (one-off or recurring)', body: CreateMaintenanceSchema, response: { 201: MaintenanceWindowSchema, ...errorResponses } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const { target, ...rest } = request.body;
    const window = await service.create(actor, await resolveTarget(ctx, actor, target), rest);
    return reply.status(201).send(await toDto(ctx, window));
  });

  app.get('/maintenance-windows/:id', {
    schema: { tags, summary: 'Get a maintenance window', params: IdParams, response: { 200: MaintenanceWindowSchema, ...errorResponses } },
  }, async (request) => toDto(ctx, await service.get(actorOf(request), request.params.id)));

  app.patch('/maintenance-windows/:id', {
    schema: { tags, summary: 'Update a maintenance window; takes effect within seconds on every instance', params: IdParams, body: UpdateMaintenanceSchema, response: { 200: MaintenanceWindowSchema, ...errorResponses } },
  }, async (request) => {
    const actor = actorOf(request);
    const { target, ...rest } = request.body;
    const resolved = target === undefined ? undefined : await resolveTarget(ctx, actor, target);
    return toDto(ctx, await service.update(actor, request.params.id, rest, resolved));
  });

  app.delete('/maintenance-windows/:id', {
    schema: { tags, summary: 'Delete a maintenance window', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await service.delete(actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}
