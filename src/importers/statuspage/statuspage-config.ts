// The statuspage project's config.yml: a title, a refresh token, a default interval in seconds,
// and groups of items (name, id, optional interval). Several items may share an id.
import Type, { type Static } from 'typebox';
import { parse } from 'yaml';
import { badRequest } from '../../domain/errors.js';
import { assertValid } from '../../domain/validation.js';

const ItemSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  id: Type.Union([Type.String({ minLength: 1 }), Type.Number()]),
  interval: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
}, { additionalProperties: false });

export const StatuspageFileSchema = Type.Object({
  statuspage: Type.Object({
    title: Type.Optional(Type.String()),
    token: Type.Union([Type.String({ minLength: 1 }), Type.Number()]),
    interval: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    groups: Type.Record(Type.String(), Type.Array(ItemSchema)),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

export interface StatuspageItem {
  group: string;
  name: string;
  id: string;
  intervalSeconds: number;
}

export interface StatuspageConfig {
  title: string;
  token: string;
  items: StatuspageItem[];
}

export function parseStatuspageConfig(text: string): StatuspageConfig {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw badRequest(`config.yml is not valid YAML: ${(err as Error).message}`);
  }
  assertValid(StatuspageFileSchema, raw, 'statuspage config.yml', '');
  const sp = (raw as Static<typeof StatuspageFileSchema>).statuspage;
  const interval = sp.interval ?? 600;
  const items = Object.entries(sp.groups).flatMap(([group, list]) => list.map((item) => ({
    group, name: item.name, id: String(item.id), intervalSeconds: item.interval ?? interval,
  })));
  return { title: sp.title ?? 'Status', token: String(sp.token), items };
}
