// Management API for check-ins (authenticated): a heartbeat's URLs and curl lines, its keys and
// tokens, its recent check-ins, and the per-project ping key of the slug URL form.
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { AppContext } from '../app/context.js';
import { actorOf } from '../http/auth-hooks.js';
import type { Api } from '../http/api/api-instance.js';
import { findProject } from '../http/api/catalog-lookup.js';
import { errorResponses } from '../http/schemas.js';
import type { CheckInAdmin } from './check-in-admin.js';

const tags = ['heartbeats'];
const okOrError = { 200: Type.Unknown({ description: 'See the summary' }), ...errorResponses };
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ProjectPath = Type.Object({ namespace: Type.String({ minLength: 1, maxLength: 64 }), project: Type.String({ minLength: 1, maxLength: 64 }) });
const secretText = { minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' };
const KeyBody = Type.Object({
  key: Type.Optional(Type.String({ minLength: 8, maxLength: 256, pattern: '^[\\x21-\\x7e]+$', description: 'Your existing Missme x-api-key / statuspage X-Token; generated when omitted' })),
  legacyId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._~-]+$' }), Type.Null()], { description: 'The id in /notify/<id> and /refresh/<id>; null: the service id' })),
}, { additionalProperties: false });
const TokenBody = Type.Object({
  token: Type.Optional(Type.String({ ...secretText, description: 'e.g. your Uptime Kuma push token; a new UUID when omitted' })),
}, { additionalProperties: false });
const PingsQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false });

/** Both POSTs work without a body (generate everything). */
async function emptyBodyIsEmptyObject(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

export function checkInApiRoutes(app: Api, ctx: AppContext, admin: CheckInAdmin): void {
  app.get('/services/:id/check-in', {
    schema: { tags, summary: 'The check-in URLs of a heartbeat, with ready curl lines', params: IdParams, response: okOrError },
  }, async (request) => admin.info(actorOf(request), request.params.id));

  app.post('/services/:id/check-in/rotate-key', {
    schema: { tags, summary: 'Set or generate the Missme/statuspage key (shown only in this answer) and the legacy id', params: IdParams, body: KeyBody, response: okOrError },
    preValidation: emptyBodyIsEmptyObject,
  }, async (request) => admin.setApiKey(actorOf(request), request.params.id, request.body));

  app.post('/services/:id/check-in/ping-token', {
    schema: { tags, summary: 'Set or regenerate the ping token of /ping/<token> and /api/push/<token>', params: IdParams, body: TokenBody, response: okOrError },
    preValidation: emptyBodyIsEmptyObject,
  }, async (request) => admin.setPingToken(actorOf(request), request.params.id, request.body.token));

  app.get('/services/:id/pings', {
    schema: { tags, summary: 'Recent check-ins of a heartbeat, newest first', params: IdParams, querystring: PingsQuery, response: okOrError },
  }, async (request) => ({ items: await admin.pings(actorOf(request), request.params.id, request.query.limit ?? 50) }));

  app.get('/namespaces/:namespace/projects/:project/ping-key', {
    schema: { tags, summary: 'The project\'s ping key for /ping/<ping-key>/<slug> (null until created)', params: ProjectPath, response: okOrError },
  }, async (request) => {
    const actor = actorOf(request);
    const project = await findProject(ctx, actor, request.params.namespace, request.params.project);
    return { pingKey: await admin.pingKey(actor, project.id, project.namespaceId) };
  });

  app.post('/namespaces/:namespace/projects/:project/ping-key', {
    schema: { tags, summary: 'Create or replace the project\'s ping key (old slug URLs stop working)', params: ProjectPath, response: okOrError },
  }, async (request) => {
    const actor = actorOf(request);
    const project = await findProject(ctx, actor, request.params.namespace, request.params.project);
    return { pingKey: await admin.rotatePingKey(actor, project.id, project.namespaceId) };
  });
}
