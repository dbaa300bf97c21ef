// Response and query schemas shared by API routes; they also make up the OpenAPI document.
import Type from 'typebox';

export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Unknown() }),
});

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  // Bounded so that every database can bind it (PostgreSQL refuses a bigint beyond 2^63, SQLite
  // binds it as a float and then refuses it as an OFFSET): a larger one was a 500.
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 })),
}, { additionalProperties: false });

export const NamespaceSchema = Type.Object({
  id: Type.String(), slug: Type.String(), path: Type.String(), name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]), managedBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Number(), updatedAt: Type.Number(),
}, { additionalProperties: true });

export const ProjectSchema = Type.Object({
  id: Type.String(), namespaceId: Type.String(), slug: Type.String(), path: Type.String(), name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]), managedBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Number(), updatedAt: Type.Number(),
}, { additionalProperties: true });

const nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);

export const ServiceSchema = Type.Object({
  id: Type.String(), projectId: Type.String(), namespaceId: Type.String(), slug: Type.String(), path: Type.String(),
  name: Type.String(), description: nullable(Type.String()), kind: Type.String(), type: Type.String(),
  config: Type.Record(Type.String(), Type.Unknown()),
  intervalMs: Type.Number(), timeoutMs: Type.Number(), retries: Type.Number(), retryIntervalMs: Type.Number(),
  upsideDown: Type.Boolean(), paused: Type.Boolean(), tags: Type.Array(Type.String()),
  state: Type.String(), stateChangedAt: nullable(Type.Number()), consecutiveFailures: Type.Number(),
  lastCheckedAt: nullable(Type.Number()), lastLatencyMs: nullable(Type.Number()), lastDetail: nullable(Type.String()),
  managedBy: nullable(Type.String()), createdAt: Type.Number(), updatedAt: Type.Number(),
}, { additionalProperties: true });

export const IncidentSchema = Type.Object({
  id: Type.String(), serviceId: nullable(Type.String()), namespaceId: Type.String(), title: Type.String(),
  cause: nullable(Type.String()), status: Type.String(), origin: Type.String(), openedAt: Type.Number(),
  resolvedAt: nullable(Type.Number()), durationMs: nullable(Type.Number()),
  updates: Type.Optional(Type.Array(Type.Object({ id: Type.Number(), at: Type.Number(), status: Type.String(), message: Type.String() }))),
}, { additionalProperties: true });

export function pageOf<T extends ReturnType<typeof Type.Object>>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Number(), limit: Type.Number(), offset: Type.Number() });
}

export function cursorPageOf<T extends ReturnType<typeof Type.Object>>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

export const errorResponses = {
  400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema,
};
