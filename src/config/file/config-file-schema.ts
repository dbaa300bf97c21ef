// The schema of the YAML config file. Services use the very schema the API validates with.
import Type, { type Static, type TSchema } from 'typebox';
import { CreateServiceSchema } from '../../catalog/service-input.js';
import { slugPattern } from '../../domain/slug-path.js';
import { configSections } from './sections.js';

const slug = Type.String({ pattern: slugPattern });
const description = Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()]));

export const FileServiceSchema = Type.Object({
  ...CreateServiceSchema.properties,
  slug,
}, { additionalProperties: false });

export const FileProjectSchema = Type.Object({
  slug,
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  description,
  services: Type.Optional(Type.Array(FileServiceSchema)),
}, { additionalProperties: false });

export const FileNamespaceSchema = Type.Object({
  slug,
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  description,
  projects: Type.Optional(Type.Array(FileProjectSchema)),
}, { additionalProperties: false });

export function configFileSchema(): TSchema {
  const sections: Record<string, TSchema> = {};
  for (const section of configSections) sections[section.key] = Type.Optional(section.schema);
  return Type.Object({
    version: Type.Optional(Type.Literal(1)),
    namespaces: Type.Optional(Type.Array(FileNamespaceSchema)),
    ...sections,
  }, { additionalProperties: false });
}

export type FileNamespace = Static<typeof FileNamespaceSchema>;
export type FileProject = Static<typeof FileProjectSchema>;
export type FileService = Static<typeof FileServiceSchema>;
export interface ConfigFile {
  version?: 1;
  namespaces?: FileNamespace[];
  [section: string]: unknown;
}
