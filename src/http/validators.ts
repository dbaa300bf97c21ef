// Request validation: bodies are checked strictly (no type coercion, unknown fields rejected);
// query strings, params and headers are coerced from text, as they can only be text.
import { Ajv } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';
import { nulMessage, nulPath } from '../domain/validation.js';

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

type Validate = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null };

/**
 * Bodies may not hold NUL characters anywhere: PostgreSQL's text cannot store them, so they would
 * fail at the database; here they get a 400 naming the field, on every database alike.
 */
function rejectingNul(validate: Validate): Validate {
  const check: Validate = (data) => {
    const path = nulPath(data);
    if (path !== null) {
      check.errors = [{ instancePath: path, keyword: 'nul', params: {}, schemaPath: '', message: nulMessage }];
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
