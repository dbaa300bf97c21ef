// API to manage status pages: list and create in a namespace, read, change and delete by id.
import Type from 'typebox';
import type { AppContext } from '../../app/context.js';
import type { Api } from '../../http/api/api-instance.js';
import { findNamespace } from '../../http/api/catalog-lookup.js';
import { actorOf } from '../../http/auth-hooks.js';
import { errorResponses } from '../../http/schemas.js';
import { CreateStatusPageSchema, StatusPageDtoSchema, UpdateStatusPageSchema } from '../status-page-input.js';
import type { StatusPageService } from '../status-page-service.js';

const NsParams = Type.Object({ ns: Type.String({ minLength: 1, maxLength: 64 }) });
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const tags = ['status pages'];

export function managementRoutes(app: Api, ctx: AppContext, pages: StatusPageService): void {
  const dto = (page: Parameters<StatusPageService['toDto']>[0]) => pages.toDto(page, ctx.settings.publicUrl);

  app.get('/namespaces/:ns/status-pages', {
    schema: { tags, summary: 'List the status pages of a namespace', params: NsParams, response: { 200: Type.Object({ items: Type.Array(StatusPageDtoSchema) }), ...errorResponses } },
  }, async (request) => {
    const actor = actorOf(request);
    const ns = await findNamespace(ctx, actor, request.params.ns);
    return { items: await Promise.all((await pages.list(actor, ns.id)).map(dto)) };
  });

  app.post('/namespaces/:ns/status-pages', {
    schema: { tags, summary: 'Create a status page', params: NsParams, body: CreateStatusPageSchema, response: { 201: StatusPageDtoSchema, ...errorResponses } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const ns = await findNamespace(ctx, actor, request.params.ns);
    const page = await pages.createStatusPage(actor, ns.id, request.body);
    reply.status(201);
    return dto(page);
  });

  app.get('/status-pages/:id', {
    schema: { tags, summary: 'Get a status page', params: IdParams, response: { 200: StatusPageDtoSchema, ...errorResponses } },
  }, async (request) => dto(await pages.get(actorOf(request), request.params.id)));

  app.patch('/status-pages/:id', {
    schema: { tags, summary: 'Change a status page (fields left out stay as they are)', params: IdParams, body: UpdateStatusPageSchema, response: { 200: StatusPageDtoSchema, ...errorResponses } },
  }, async (request) => dto(await pages.update(actorOf(request), request.params.id, request.body)));

  app.delete('/status-pages/:id', {
    schema: { tags, summary: 'Delete a status page', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await pages.delete(actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}
