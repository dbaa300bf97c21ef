// REST API of notification channels under /api/v1. Secrets never leave the server: configs are
// answered with their secret fields redacted ("********"), and that marker sent back in a PATCH
// keeps the stored value.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { AppContext } from '../app/context.js';
import { typed } from '../http/api/api-instance.js';
import { findNamespace } from '../http/api/catalog-lookup.js';
import { decodeCursor, encodeCursor, isIdCursor } from '../http/api/cursor.js';
import { actorOf } from '../http/auth-hooks.js';
import { cursorPageOf, errorResponses } from '../http/schemas.js';
import { getNotifier, notifierTypes } from '../notifiers/registry.js';
import { redactSecrets } from '../notifiers/secrets.js';
import type { Channel, ChannelRoute } from './channel.js';
import { CreateChannelSchema, RouteInputSchema, UpdateChannelSchema } from './channel-input.js';
import type { ChannelService } from './channel-service.js';

const tags = ['notifications'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const RouteParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), routeId: Type.String({ minLength: 1, maxLength: 64 }) });
const NamespaceParams = Type.Object({ namespace: Type.String({ minLength: 1, maxLength: 64 }) });
const nullableNumber = Type.Union([Type.Number(), Type.Null()]);
const nullableString = Type.Union([Type.String(), Type.Null()]);

const RouteSchema = Type.Object({
  id: Type.String(), path: Type.String(), tags: Type.Array(Type.String()), createdAt: Type.Number(),
}, { additionalProperties: true });

const ChannelSchema = Type.Object({
  id: Type.String(), namespaceId: Type.String(), name: Type.String(), type: Type.String(),
  config: Type.Record(Type.String(), Type.Unknown()),
  enabled: Type.Boolean(), events: Type.Array(Type.String()), reminderIntervalMs: nullableNumber,
  flapping: Type.Union([Type.Object({ changes: Type.Number(), windowMs: Type.Number() }), Type.Null()]),
  heartbeatRule: Type.String(), routes: Type.Array(RouteSchema),
  lastError: nullableString, lastErrorAt: nullableNumber, lastSuccessAt: nullableNumber,
  managedBy: nullableString, createdAt: Type.Number(), updatedAt: Type.Number(),
}, { additionalProperties: true });

const AttemptSchema = Type.Object({
  at: Type.Number(), durationMs: Type.Number(), ok: Type.Boolean(), statusCode: nullableNumber, error: nullableString, permanent: Type.Boolean(),
}, { additionalProperties: true });

const DeliverySchema = Type.Object({
  id: Type.Number(), kind: Type.String(), status: Type.String(), serviceId: nullableString, attempts: Type.Number(),
  nextAttemptAt: Type.Number(), lastError: nullableString, createdAt: Type.Number(), sentAt: nullableNumber,
  event: Type.Unknown(), attemptLog: Type.Array(AttemptSchema),
}, { additionalProperties: true });

const TestResultSchema = Type.Object({
  deliveryId: Type.Number(), ok: Type.Boolean(), statusCode: nullableNumber, detail: nullableString, error: nullableString,
  permanent: Type.Boolean(), durationMs: Type.Number(),
});

export function channelDto(channel: Channel, routes: ChannelRoute[]) {
  const { policy, config, ...rest } = channel;
  return {
    ...rest,
    config: redactSecrets(config, getNotifier(channel.type)?.secretFields ?? []),
    events: policy.events, reminderIntervalMs: policy.reminderIntervalMs, flapping: policy.flapping, heartbeatRule: policy.heartbeatRule,
    routes: routes.filter((r) => r.channelId === channel.id).map((r) => ({ id: r.id, path: r.path, tags: r.tags, createdAt: r.createdAt })),
  };
}

export function channelRoutes(app: FastifyInstance, ctx: AppContext, channels: ChannelService): void {
  const api = typed(app);
  const dto = async (channel: Channel) => channelDto(channel, await channels.routes([channel.id]));
  const dtos = async (list: Channel[]) => {
    const routes = await channels.routes(list.map((c) => c.id));
    return list.map((c) => channelDto(c, routes));
  };

  api.get('/notifier-types', {
    schema: {
      tags, summary: 'The channel types, their secret fields and the JSON schema of their config',
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ type: Type.String(), title: Type.String(), secretFields: Type.Array(Type.String()), configSchema: Type.Unknown() })) }), ...errorResponses },
    },
  }, async () => ({
    items: notifierTypes().map((type) => {
      const notifier = getNotifier(type)!;
      return { type, title: notifier.title, secretFields: [...notifier.secretFields], configSchema: notifier.configSchema };
    }),
  }));

  api.get('/channels', {
    schema: { tags, summary: 'List the notification channels you can see', response: { 200: Type.Object({ items: Type.Array(ChannelSchema) }), ...errorResponses } },
  }, async (request) => ({ items: await dtos(await channels.list(actorOf(request))) }));

  api.get('/namespaces/:namespace/channels', {
    schema: { tags, summary: 'List the notification channels of a namespace', params: NamespaceParams, response: { 200: Type.Object({ items: Type.Array(ChannelSchema) }), ...errorResponses } },
  }, async (request) => {
    const actor = actorOf(request);
    const ns = await findNamespace(ctx, actor, request.params.namespace);
    return { items: await dtos(await channels.list(actor, ns.id)) };
  });

  api.post('/namespaces/:namespace/channels', {
    schema: { tags, summary: 'Create a notification channel (needs editor)', params: NamespaceParams, body: CreateChannelSchema, response: { 201: ChannelSchema, ...errorResponses } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const ns = await findNamespace(ctx, actor, request.params.namespace);
    return reply.status(201).send(await dto(await channels.create(actor, ns.id, request.body)));
  });

  api.get('/channels/:id', {
    schema: { tags, summary: 'Get a channel, with its routes and last error', params: IdParams, response: { 200: ChannelSchema, ...errorResponses } },
  }, async (request) => dto(await channels.get(actorOf(request), request.params.id)));

  api.patch('/channels/:id', {
    schema: { tags, summary: 'Update a channel; a secret sent back as "********" keeps its value', params: IdParams, body: UpdateChannelSchema, response: { 200: ChannelSchema, ...errorResponses } },
  }, async (request) => dto(await channels.update(actorOf(request), request.params.id, request.body)));

  api.delete('/channels/:id', {
    schema: { tags, summary: 'Delete a channel with its routes and deliveries', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await channels.delete(actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  api.post('/channels/:id/routes', {
    schema: { tags, summary: 'Attach the channel to a namespace, project or service path (and everything below it)', params: IdParams, body: RouteInputSchema, response: { 201: RouteSchema, ...errorResponses } },
  }, async (request, reply) => {
    const route = await channels.addRoute(actorOf(request), request.params.id, request.body);
    return reply.status(201).send({ id: route.id, path: route.path, tags: route.tags, createdAt: route.createdAt });
  });

  api.delete('/channels/:id/routes/:routeId', {
    schema: { tags, summary: 'Detach the channel from a path', params: RouteParams, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await channels.removeRoute(actorOf(request), request.params.id, request.params.routeId);
    return reply.status(204).send(null);
  });

  api.post('/channels/:id/test', {
    schema: {
      tags, summary: 'Send a test notification now (one attempt, no retries) and answer how it went', params: IdParams,
      querystring: Type.Object({ service: Type.Optional(Type.String({ maxLength: 200, description: 'A service path to use in the message' })) }, { additionalProperties: false }),
      response: { 200: TestResultSchema, ...errorResponses },
    },
  }, async (request) => {
    const { deliveryId, outcome } = await channels.sendTest(actorOf(request), request.params.id, request.query.service);
    return {
      deliveryId, ok: outcome.ok, statusCode: outcome.statusCode, detail: outcome.detail, error: outcome.error,
      permanent: outcome.permanent, durationMs: Math.round(outcome.durationMs),
    };
  });

  api.get('/channels/:id/deliveries', {
    schema: {
      tags, summary: 'Messages of a channel, newest first, with every attempt', params: IdParams,
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), cursor: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
      response: { 200: cursorPageOf(DeliverySchema), ...errorResponses },
    },
  }, async (request) => {
    const size = request.query.limit ?? 50;
    const beforeId = decodeCursor(request.query.cursor, isIdCursor);
    const items = await channels.deliveries(actorOf(request), request.params.id, { limit: size, beforeId });
    return { items, nextCursor: items.length === size ? encodeCursor(items[items.length - 1].id) : null };
  });
}
