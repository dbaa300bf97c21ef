// Sign-in and sign-out for the dashboard, the caller's identity, users and API keys.
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { AppContext } from '../../app/context.js';
import { requireGlobalRole } from '../../auth/actor.js';
import { notFound, forbidden } from '../../domain/errors.js';
import { actorOf, sessionCookie } from '../auth-hooks.js';
import { errorResponses } from '../schemas.js';
import type { Api } from './api-instance.js';
import { findNamespace } from './catalog-lookup.js';

const RoleSchema = Type.Union([Type.Literal('viewer'), Type.Literal('editor'), Type.Literal('admin')]);
const UserSchema = Type.Object({ id: Type.String(), email: Type.String(), name: Type.String(), role: Type.Union([RoleSchema, Type.Null()]), createdAt: Type.Number() });
const ApiKeySchema = Type.Object({ id: Type.String(), userId: Type.String(), name: Type.String(), scope: Type.String(), createdAt: Type.Number(), lastUsedAt: Type.Union([Type.Number(), Type.Null()]), expiresAt: Type.Union([Type.Number(), Type.Null()]) });

function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

export function authRoutes(app: Api, ctx: AppContext): void {
  app.post('/auth/login', {
    config: { public: true },
    schema: {
      tags: ['auth'], summary: 'Sign in; sets an HttpOnly session cookie',
      body: Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ user: UserSchema, expiresAt: Type.Number() }), 429: errorResponses[400], ...errorResponses },
    },
  }, async (request, reply) => {
    const { token, user, expiresAt } = await ctx.auth.login(request.body.email, request.body.password, request.ip);
    const secure = ctx.settings.secureCookies === 'auto' ? isHttps(request) : ctx.settings.secureCookies;
    reply.setCookie(sessionCookie, token, { httpOnly: true, sameSite: 'strict', secure, path: '/', expires: new Date(expiresAt) });
    return { user, expiresAt };
  });

  app.post('/auth/logout', {
    config: { public: true },
    schema: { tags: ['auth'], summary: 'Sign out (ends the session)', response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const token = request.cookies[sessionCookie];
    if (token) await ctx.auth.logout(token);
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/auth/me', {
    schema: { tags: ['auth'], summary: 'Who the caller is', response: { 200: Type.Object({ kind: Type.String(), userId: Type.Union([Type.String(), Type.Null()]), label: Type.String(), role: Type.Union([Type.String(), Type.Null()]), readOnly: Type.Boolean(), memberships: Type.Record(Type.String(), Type.String()) }), ...errorResponses } },
  }, async (request) => {
    const actor = actorOf(request);
    return { kind: actor.kind, userId: actor.userId, label: actor.label, role: actor.globalRole, readOnly: actor.readOnly, memberships: Object.fromEntries(actor.memberships) };
  });

  app.get('/users', {
    schema: { tags: ['users'], summary: 'List users (admin)', response: { 200: Type.Object({ items: Type.Array(UserSchema) }), ...errorResponses } },
  }, async (request) => {
    requireGlobalRole(actorOf(request), 'admin');
    return { items: await ctx.data.repos.users.list() };
  });

  app.post('/users', {
    schema: {
      tags: ['users'], summary: 'Create a user (admin)',
      body: Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }), password: Type.String({ minLength: 8, maxLength: 1024 }), name: Type.Optional(Type.String({ maxLength: 200 })), role: Type.Optional(Type.Union([RoleSchema, Type.Null()])) }, { additionalProperties: false }),
      response: { 201: UserSchema, ...errorResponses },
    },
  }, async (request, reply) => reply.status(201).send(await ctx.auth.createUser(request.body, actorOf(request))));

  app.put('/users/:id/memberships/:namespace', {
    schema: {
      tags: ['users'], summary: 'Give a user a role in one namespace, or remove it with null (admin)',
      params: Type.Object({ id: Type.String({ maxLength: 64 }), namespace: Type.String({ maxLength: 64 }) }),
      body: Type.Object({ role: Type.Union([RoleSchema, Type.Null()]) }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...errorResponses },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    requireGlobalRole(actor, 'admin');
    const user = await ctx.data.repos.users.findById(request.params.id);
    if (!user) throw notFound('user');
    const ns = await findNamespace(ctx, actor, request.params.namespace);
    await ctx.data.repos.users.setMembership(user.id, ns.id, request.body.role);
    return reply.status(204).send(null);
  });

  app.get('/api-keys', {
    schema: { tags: ['api-keys'], summary: 'List your API keys (admins: all)', response: { 200: Type.Object({ items: Type.Array(ApiKeySchema) }), ...errorResponses } },
  }, async (request) => {
    const actor = actorOf(request);
    const all = await ctx.data.repos.credentials.listApiKeys(actor.globalRole === 'admin' ? undefined : actor.userId ?? '');
    return { items: all.map(({ keyHash: _hash, ...key }) => key) };
  });

  app.post('/api-keys', {
    schema: {
      tags: ['api-keys'], summary: 'Create an API key; the key is shown once in this answer',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), scope: Type.Union([Type.Literal('read'), Type.Literal('write')]), expiresAt: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), Type.Null()])) }, { additionalProperties: false }),
      response: { 201: Type.Object({ key: Type.String(), apiKey: ApiKeySchema }), ...errorResponses },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    if (!actor.userId) throw forbidden('only users own API keys');
    if (actor.readOnly) throw forbidden('a read-only key cannot create keys');
    const { key, record } = await ctx.auth.createApiKey({ userId: actor.userId, ...request.body });
    return reply.status(201).send({ key, apiKey: record });
  });

  app.delete('/api-keys/:id', {
    schema: { tags: ['api-keys'], summary: 'Revoke an API key', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const key = await ctx.data.repos.credentials.findApiKey(request.params.id);
    if (!key || (key.userId !== actor.userId && actor.globalRole !== 'admin')) throw notFound('API key');
    if (actor.readOnly) throw forbidden('a read-only key cannot revoke keys');
    await ctx.data.repos.credentials.deleteApiKey(key.id);
    return reply.status(204).send(null);
  });
}
