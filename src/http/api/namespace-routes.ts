import Type from 'typebox';
import type { AppContext } from '../../app/context.js';
import { CreateNamespaceSchema, UpdateNamespaceSchema } from '../../catalog/namespace-service.js';
import { actorOf } from '../auth-hooks.js';
import { errorResponses, NamespaceSchema, pageOf, PageQuery } from '../schemas.js';
import type { Api } from './api-instance.js';
import { findNamespace } from './catalog-lookup.js';

const Params = Type.Object({ namespace: Type.String({ minLength: 1, maxLength: 64, description: 'Namespace id or slug' }) });
const tags = ['namespaces'];

export function namespaceRoutes(app: Api, ctx: AppContext): void {
  app.get('/namespaces', {
    schema: { tags, summary: 'List namespaces', querystring: PageQuery, response: { 200: pageOf(NamespaceSchema), ...errorResponses } },
  }, async (request) => {
    const q = { limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 };
    const page = await ctx.namespaces.list(actorOf(request), q);
    return { ...page, limit: q.limit, offset: q.offset };
  });

  app.post('/namespaces', {
    schema: { tags, summary: 'Create a namespace', body: CreateNamespaceSchema, response: { 201: NamespaceSchema, ...errorResponses } },
  }, async (request, reply) => {
    const ns = await ctx.namespaces.create(actorOf(request), request.body);
    return reply.status(201).send(ns);
  });

  app.get('/namespaces/:namespace', {
    schema: { tags, summary: 'Get a namespace by id or slug', params: Params, response: { 200: NamespaceSchema, ...errorResponses } },
  }, async (request) => {
    const { namespace } = request.params;
    return findNamespace(ctx, actorOf(request), namespace);
  });

  app.patch('/namespaces/:namespace', {
    schema: { tags, summary: 'Update a namespace', params: Params, body: UpdateNamespaceSchema, response: { 200: NamespaceSchema, ...errorResponses } },
  }, async (request) => {
    const actor = actorOf(request);
    const ns = await findNamespace(ctx, actor, request.params.namespace);
    return ctx.namespaces.update(actor, ns.id, request.body);
  });

  app.delete('/namespaces/:namespace', {
    schema: { tags, summary: 'Delete a namespace and everything in it', params: Params, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const ns = await findNamespace(ctx, actor, request.params.namespace);
    await ctx.namespaces.delete(actor, ns.id);
    return reply.status(204).send(null);
  });
}
