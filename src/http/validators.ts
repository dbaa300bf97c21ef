// Request validation: bodies are checked strictly (no type coercion, unknown fields rejected);
// query strings, params and headers are coerced from text, as they can only be text.
import { Ajv } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    coerceTypes: coerce ? 'array' : false,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

/** The path of the first string (value or key) in `data` that holds U+0000, or null. */
export function nulPath(data: unknown, path = ''): string | null {
  if (typeof data === 'string') return data.includes('\0') ? path : null;
  if (typeof data !== 'object' || data === null) return null;
  for (const [key, value] of Object.entries(data)) {
    const at = `${path}/${key}`;
    if (key.includes('\0')) return at;
    const found = nulPath(value, at);
    if (found !== null) return found;
  }
  return null;
}

type Validate = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null };

/**
 * Bodies may not hold NUL characters anywhere: PostgreSQL's text cannot store them, so they would
 * fail at the database; here they get a 400 naming the field, on every database alike.
 */
function rejectingNul(validate: Validate): Validate {
  const check: Validate = (data) => {
    const path = nulPath(data);
    if (path !== null) {
      check.errors = [{ instancePath: path, keyword: 'nul', params: {}, schemaPath: '', message: 'must not contain the NUL character (\\u0000)' }];
      return false;
    }
    const valid = validate(data);
    check.errors = validate.errors as FastifySchemaValidationError[] | null | undefined;
    return valid;
  };
  return check;
}

export function registerValidators(app: FastifyInstance): void {
  const strict = makeAjv(false);
  const coercing = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? rejectingNul(strict.compile(schema)) : coercing.compile(schema)));
}
