// The config of an `http` check. Defaults live in `httpDefaults` so the schema documents them and
// run() applies them even when the caller did not fill them in.
import Type from 'typebox';
import type { Static } from 'typebox';
import { IpFamilySchema } from '../shared/ip-family.js';
import { CaPemSchema, CertExpiryDaysSchema, defaultCertExpiryDays } from '../shared/schemas.js';
import { jsonPathPattern } from './json-path.js';
import { statusCodePattern } from './status-codes.js';

export const httpDefaults = {
  method: 'GET',
  accept: ['200-299'],
  followRedirects: true,
  maxRedirects: 10,
  ignoreTls: false,
  certExpiryDays: defaultCertExpiryDays,
} as const;

const JsonAssertionSchema = Type.Object({
  path: Type.String({ pattern: jsonPathPattern, description: 'Where to look: "$" then .name, [0] or ["name"] steps, e.g. $.data.items[0].status' }),
  operator: Type.Optional(Type.Union(
    [Type.Literal('=='), Type.Literal('!='), Type.Literal('<'), Type.Literal('>'), Type.Literal('contains')],
    { default: '==', description: '== and != compare as text (5 equals "5"); < and > compare numbers; contains looks in a string or array.' },
  )),
  value: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()], { description: 'The expected value.' }),
}, { additionalProperties: false, description: 'An assertion on a JSON response body.' });

export const HttpConfigSchema = Type.Object({
  url: Type.String({ pattern: '^https?://', description: 'The http:// or https:// URL to request.' }),
  method: Type.Optional(Type.Union(
    [
      Type.Literal('GET'), Type.Literal('HEAD'), Type.Literal('POST'), Type.Literal('PUT'),
      Type.Literal('PATCH'), Type.Literal('DELETE'), Type.Literal('OPTIONS'),
    ],
    { default: httpDefaults.method, description: 'HTTP method.' },
  )),
  headers: Type.Optional(Type.Record(Type.String({ pattern: '^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$' }), Type.String(), { description: 'Extra request headers.' })),
  body: Type.Optional(Type.String({ description: 'Request body (set a content-type header to match).' })),
  basicAuth: Type.Optional(Type.Object({
    username: Type.String(),
    password: Type.String(),
  }, { additionalProperties: false, description: 'HTTP basic authentication; do not combine with bearerToken.' })),
  bearerToken: Type.Optional(Type.String({ minLength: 1, description: 'Sent as "Authorization: Bearer <token>".' })),
  accept: Type.Optional(Type.Array(Type.String({ pattern: statusCodePattern }), {
    minItems: 1,
    default: httpDefaults.accept,
    description: 'Accepted status codes: single codes ("301") and inclusive ranges ("200-299").',
  })),
  followRedirects: Type.Optional(Type.Boolean({ default: httpDefaults.followRedirects, description: 'Follow 3xx redirects; when false the 3xx status itself is judged against `accept`.' })),
  maxRedirects: Type.Optional(Type.Integer({ minimum: 0, maximum: 50, default: httpDefaults.maxRedirects, description: 'More redirects than this make the check fail.' })),
  keyword: Type.Optional(Type.String({ minLength: 1, description: 'Text that must appear in the response body (case-sensitive, first 1 MB).' })),
  keywordAbsent: Type.Optional(Type.String({ minLength: 1, description: 'Text that must NOT appear in the response body (case-sensitive, first 1 MB).' })),
  json: Type.Optional(JsonAssertionSchema),
  maxResponseTimeMs: Type.Optional(Type.Integer({ minimum: 1, description: 'The check is down when the whole response takes longer than this.' })),
  ignoreTls: Type.Optional(Type.Boolean({ default: httpDefaults.ignoreTls, description: 'Skip TLS certificate verification (chain, host name, dates); certExpiryDays still applies.' })),
  certExpiryDays: Type.Optional(CertExpiryDaysSchema),
  caPem: Type.Optional(CaPemSchema),
  ipFamily: Type.Optional(IpFamilySchema),
}, { additionalProperties: false });

export type HttpConfig = Static<typeof HttpConfigSchema>;
