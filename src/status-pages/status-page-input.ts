// The one schema of a status page, for the API and the config file's `statusPages:` section.
import Type, { type Static } from 'typebox';
import { slugPattern } from '../domain/slug-path.js';

const nullableString = (options: { maxLength: number; pattern?: string }) =>
  Type.Optional(Type.Union([Type.String(options), Type.Null()]));

export const GroupInputSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  project: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Project path "ns/project" or "project"; shows all its services' })),
  services: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 300 }), {
    maxItems: 500, description: 'Service paths "ns/project/service" or "project/service", in display order',
  })),
}, { additionalProperties: false });
export type GroupInput = Static<typeof GroupInputSchema>;

export const hostnamePattern = '^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$';

export const CreateStatusPageSchema = Type.Object({
  slug: Type.Optional(Type.String({ pattern: slugPattern })),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  logoUrl: nullableString({ maxLength: 2048, pattern: '^(https?://|/)\\S+$' }),
  description: nullableString({ maxLength: 5000 }),
  timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, default UTC' })),
  customDomain: nullableString({ maxLength: 253, pattern: hostnamePattern }),
  isFrontPage: Type.Optional(Type.Boolean({ description: 'Serve this page at "/" (needs the global admin role)' })),
  groups: Type.Optional(Type.Array(GroupInputSchema, { maxItems: 100 })),
}, { additionalProperties: false });
export type CreateStatusPageInput = Static<typeof CreateStatusPageSchema>;

export const UpdateStatusPageSchema = Type.Partial(CreateStatusPageSchema, { additionalProperties: false });
export type UpdateStatusPageInput = Static<typeof UpdateStatusPageSchema>;

export const StatusPageDtoSchema = Type.Object({
  id: Type.String(), namespaceId: Type.String(), slug: Type.String(), title: Type.String(),
  logoUrl: Type.Union([Type.String(), Type.Null()]), description: Type.Union([Type.String(), Type.Null()]),
  timezone: Type.String(), customDomain: Type.Union([Type.String(), Type.Null()]), isFrontPage: Type.Boolean(),
  groups: Type.Array(Type.Object({ name: Type.String(), project: Type.Optional(Type.String()), services: Type.Optional(Type.Array(Type.String())) })),
  url: Type.String(), managedBy: Type.Union([Type.String(), Type.Null()]), createdAt: Type.Number(), updatedAt: Type.Number(),
});
export type StatusPageDto = Static<typeof StatusPageDtoSchema>;

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
