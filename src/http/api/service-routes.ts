import Type from 'typebox';
import type { AppContext } from '../../app/context.js';
import type { Actor } from '../../auth/actor.js';
import { CreateServiceSchema, UpdateServiceSchema } from '../../catalog/service-input.js';
import { serviceKinds, serviceStates } from '../../domain/service-state.js';
import { actorOf } from '../auth-hooks.js';
import { errorResponses, pageOf, PageQuery, ServiceSchema } from '../schemas.js';
import type { Api } from './api-instance.js';
import { findNamespace, findProject, findService, serviceDto } from './catalog-lookup.js';

const slug = Type.String({ minLength: 1, maxLength: 64 });
const ProjectPath = Type.Object({ namespace: slug, project: slug });
const ServicePath = Type.Object({ namespace: slug, project: slug, service: slug });
const IdParams = Type.Object({ id: slug });
const ListQuery = Type.Object({
  ...PageQuery.properties,
  namespace: Type.Optional(Type.String({ description: 'Namespace id or slug' })),
  kind: Type.Optional(Type.Union(serviceKinds.map((k) => Type.Literal(k)))),
  state: Type.Optional(Type.Union(serviceStates.map((s) => Type.Literal(s)))),
  tag: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });
const tags = ['services'];

async function byIdOrPath(ctx: AppContext, actor: Actor, params: Record<string, string>) {
  return params.id ? ctx.services.get(actor, params.id) : findService(ctx, actor, params.namespace, params.project, params.service);
}

export function serviceRoutes(app: Api, ctx: AppContext): void {
  app.get('/services', {
    schema: { tags, summary: 'List services, filtered by namespace, kind, state or tag', querystring: ListQuery, response: { 200: pageOf(ServiceSchema), ...errorResponses } },
  }, async (request) => {
    const actor = actorOf(request);
    const { limit = 50, offset = 0, namespace, kind, state, tag } = request.query;
    const namespaceId = namespace ? (await findNamespace(ctx, actor, namespace)).id : undefined;
    const page = await ctx.services.list(actor, { namespaceId, kind, state, tag }, { limit, offset });
    return { items: page.items.map(serviceDto), total: page.total, limit, offset };
  });

  app.get('/namespaces/:namespace/projects/:project/services', {
    schema: { tags, summary: 'List the services of a project', params: ProjectPath, querystring: PageQuery, response: { 200: pageOf(ServiceSchema), ...errorResponses } },
  }, async (request) => {
    const actor = actorOf(request);
    const project = await findProject(ctx, actor, request.params.namespace, request.params.project);
    const { limit = 50, offset = 0 } = request.query;
    const page = await ctx.services.list(actor, { projectId: project.id }, { limit, offset });
    return { items: page.items.map(serviceDto), total: page.total, limit, offset };
  });

  app.post('/namespaces/:namespace/projects/:project/services', {
    schema: { tags, summary: 'Create a service (an active check or a heartbeat) in a project', params: ProjectPath, body: CreateServiceSchema, response: { 201: ServiceSchema, ...errorResponses } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const project = await findProject(ctx, actor, request.params.namespace, request.params.project);
    return reply.status(201).send(serviceDto(await ctx.services.create(actor, project.id, request.body)));
  });

  for (const url of ['/services/:id', '/namespaces/:namespace/projects/:project/services/:service'] as const) {
    const how = url === '/services/:id' ? 'id' : 'path';
    const params = how === 'id' ? IdParams : ServicePath;
    app.get(url, {
      schema: { tags, summary: `Get a service by ${how}`, params, response: { 200: ServiceSchema, ...errorResponses } },
    }, async (request) => serviceDto(await byIdOrPath(ctx, actorOf(request), request.params as Record<string, string>)));

    app.patch(url, {
      schema: { tags, summary: `Update a service by ${how}; takes effect at once`, params, body: UpdateServiceSchema, response: { 200: ServiceSchema, ...errorResponses } },
    }, async (request) => {
      const actor = actorOf(request);
      const service = await byIdOrPath(ctx, actor, request.params as Record<string, string>);
      return serviceDto(await ctx.services.update(actor, service.id, request.body));
    });

    app.delete(url, {
      schema: { tags, summary: `Delete a service by ${how}, with its results`, params, response: { 204: Type.Null(), ...errorResponses } },
    }, async (request, reply) => {
      const actor = actorOf(request);
      const service = await byIdOrPath(ctx, actor, request.params as Record<string, string>);
      await ctx.services.delete(actor, service.id);
      return reply.status(204).send(null);
    });

    for (const action of ['pause', 'resume'] as const) {
      app.post(`${url}/${action}`, {
        schema: { tags, summary: `${action === 'pause' ? 'Pause' : 'Resume'} a service by ${how}`, params, response: { 200: ServiceSchema, ...errorResponses } },
      }, async (request) => {
        const actor = actorOf(request);
        const service = await byIdOrPath(ctx, actor, request.params as Record<string, string>);
        return serviceDto(await ctx.services.setPaused(actor, service.id, action === 'pause'));
      });
    }
  }
}
