import Type from 'typebox';
import type { AppContext } from '../../app/context.js';
import { CreateProjectSchema, UpdateProjectSchema } from '../../catalog/project-service.js';
import { actorOf } from '../auth-hooks.js';
import { errorResponses, pageOf, PageQuery, ProjectSchema } from '../schemas.js';
import type { Api } from './api-instance.js';
import { findNamespace, findProject } from './catalog-lookup.js';

const NsParams = Type.Object({ namespace: Type.String({ minLength: 1, maxLength: 64 }) });
const PathParams = Type.Object({ namespace: Type.String({ minLength: 1, maxLength: 64 }), project: Type.String({ minLength: 1, maxLength: 64 }) });
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const tags = ['projects'];
const page = (q: { limit?: number; offset?: number }) => ({ limit: q.limit ?? 50, offset: q.offset ?? 0 });

export function projectRoutes(app: Api, ctx: AppContext): void {
  app.get('/projects', {
    schema: { tags, summary: 'List projects (all namespaces you can see)', querystring: PageQuery, response: { 200: pageOf(ProjectSchema), ...errorResponses } },
  }, async (request) => {
    const p = page(request.query);
    return { ...(await ctx.projects.list(actorOf(request), {}, p)), ...p };
  });

  app.get('/namespaces/:namespace/projects', {
    schema: { tags, summary: 'List the projects of a namespace', params: NsParams, querystring: PageQuery, response: { 200: pageOf(ProjectSchema), ...errorResponses } },
  }, async (request) => {
    const actor = actorOf(request);
    const ns = await findNamespace(ctx, actor, request.params.namespace);
    const p = page(request.query);
    return { ...(await ctx.projects.list(actor, { namespaceId: ns.id }, p)), ...p };
  });

  app.post('/namespaces/:namespace/projects', {
    schema: { tags, summary: 'Create a project in a namespace', params: NsParams, body: CreateProjectSchema, response: { 201: ProjectSchema, ...errorResponses } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const ns = await findNamespace(ctx, actor, request.params.namespace);
    return reply.status(201).send(await ctx.projects.create(actor, ns.id, request.body));
  });

  app.get('/namespaces/:namespace/projects/:project', {
    schema: { tags, summary: 'Get a project by path', params: PathParams, response: { 200: ProjectSchema, ...errorResponses } },
  }, async (request) => findProject(ctx, actorOf(request), request.params.namespace, request.params.project));

  app.get('/projects/:id', {
    schema: { tags, summary: 'Get a project by id', params: IdParams, response: { 200: ProjectSchema, ...errorResponses } },
  }, async (request) => ctx.projects.get(actorOf(request), request.params.id));

  for (const url of ['/projects/:id', '/namespaces/:namespace/projects/:project'] as const) {
    const byPath = url !== '/projects/:id';
    app.patch(url, {
      schema: { tags, summary: `Update a project by ${byPath ? 'path' : 'id'}`, params: byPath ? PathParams : IdParams, body: UpdateProjectSchema, response: { 200: ProjectSchema, ...errorResponses } },
    }, async (request) => {
      const actor = actorOf(request);
      const params = request.params as Record<string, string>;
      const project = byPath ? await findProject(ctx, actor, params.namespace, params.project) : await ctx.projects.get(actor, params.id);
      return ctx.projects.update(actor, project.id, request.body);
    });
    app.delete(url, {
      schema: { tags, summary: `Delete a project and its services, by ${byPath ? 'path' : 'id'}`, params: byPath ? PathParams : IdParams, response: { 204: Type.Null(), ...errorResponses } },
    }, async (request, reply) => {
      const actor = actorOf(request);
      const params = request.params as Record<string, string>;
      const project = byPath ? await findProject(ctx, actor, params.namespace, params.project) : await ctx.projects.get(actor, params.id);
      await ctx.projects.delete(actor, project.id);
      return reply.status(204).send(null);
    });
  }
}
