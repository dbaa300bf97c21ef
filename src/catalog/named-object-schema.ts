// Namespaces and projects are described by the same three fields, in the API and the YAML file.
import Type from 'typebox';
import { slugPattern } from '../domain/slug-path.js';

export const CreateNamedObjectSchema = Type.Object({
  slug: Type.Optional(Type.String({ pattern: slugPattern, description: 'URL-safe id; derived from the name when omitted' })),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
}, { additionalProperties: false });

export const UpdateNamedObjectSchema = Type.Partial(CreateNamedObjectSchema, { additionalProperties: false });
