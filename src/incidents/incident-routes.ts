// API for incidents written by people: open one in a namespace, then post progress updates.
import Type from 'typebox';
import type { AppContext } from '../app/context.js';
import { findNamespace } from '../http/api/catalog-lookup.js';
import type { Api } from '../http/api/api-instance.js';
import { actorOf } from '../http/auth-hooks.js';
import { errorResponses, IncidentSchema } from '../http/schemas.js';
import { AddIncidentUpdateSchema, CreateIncidentSchema } from './incident-input.js';
import type { ManualIncidentService } from './manual-incident-service.js';

const IncidentWithServicesSchema = Type.Object({
  ...IncidentSchema.properties,
  affectedServices: Type.Array(Type.Object({ id: Type.String(), path: Type.String(), name: Type.String() })),
});

export function incidentRoutes(app: Api, ctx: AppContext, incidents: ManualIncidentService): void {
  app.post('/namespaces/:ns/incidents', {
    schema: {
      tags: ['incidents'], summary: 'Open an incident written by people (or post a resolved one)',
      params: Type.Object({ ns: Type.String({ minLength: 1, maxLength: 64 }) }), body: CreateIncidentSchema,
      response: { 201: IncidentWithServicesSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const ns = await findNamespace(ctx, actor, request.params.ns);
    reply.status(201);
    return incidents.create(actor, ns.id, request.body);
  });

  app.post('/incidents/:id/updates', {
    schema: {
      tags: ['incidents'], summary: 'Post a progress update; "resolved" resolves the incident, other statuses reopen it',
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }), body: AddIncidentUpdateSchema,
      response: { 201: IncidentWithServicesSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    reply.status(201);
    return incidents.addUpdate(actorOf(request), request.params.id, request.body);
  });
}
