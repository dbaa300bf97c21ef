// The one place errors become HTTP answers: { "error": { "code", "message", "details" } }.
// Client mistakes get a 4xx that says what is wrong; a database that is unavailable gets 503 with
// Retry-After; anything unexpected is logged and gets a generic 500 without internals.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';
import { nulMessage } from '../domain/validation.js';
import { isNulInText } from '../store/executor.js';
import { LogThrottle } from '../app/log-throttle.js';
import { databaseUnavailableMessage, isDatabaseUnavailable } from '../store/database-unavailable.js';

interface AjvError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function describeValidation(errors: AjvError[], part: string) {
  return errors.map((e) => {
    const path = `${e.instancePath || ''}` || '/';
    if (e.keyword === 'additionalProperties') return { path, message: `unknown field: ${String(e.params?.additionalProperty)}` };
    if (e.keyword === 'required') return { path, message: `missing field: ${String(e.params?.missingProperty)}` };
    return { path, message: e.message ?? 'is not valid', ...(part !== 'body' && { in: part }) };
  });
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, details: unknown = null) {
  return reply.status(status).type('application/json').send({ error: { code, message, details } });
}

const fastifyCodes: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'bad_request'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request'],
};

/** When to try again after a 503: a database restart or failover, a full queue, pass in seconds. */
const retryAfterSeconds = 5;

export function registerErrorHandler(app: FastifyInstance): void {
  const unavailableLog = new LogThrottle(10_000);
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.code === 'rate_limited' || error.code === 'unavailable') {
        const retry = (error.details as { retryAfterSeconds?: number } | null)?.retryAfterSeconds
          ?? (error.code === 'unavailable' ? retryAfterSeconds : undefined);
        if (retry) reply.header('retry-after', String(retry));
      }
      return sendError(reply, error.status, error.code, error.message, error.details);
    }
    if (error.validation) {
      const part = error.validationContext ?? 'body';
      const details = describeValidation(error.validation as AjvError[], part);
      const summary = details.map((d) => `${d.path} ${d.message}`).join('; ');
      return sendError(reply, 400, 'validation_failed', `invalid ${part}: ${summary}`, details);
    }
    const mapped = error.code ? fastifyCodes[error.code] : undefined;
    if (mapped) return sendError(reply, mapped[0], mapped[1], error.message);
    if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return sendError(reply, 400, 'bad_request', `body is not valid JSON: ${error.message}`);
    }
    if (isNulInText(error)) return sendError(reply, 400, 'bad_request', `text ${nulMessage}`);
    // Network codes (ECONNREFUSED…) count too: the database is the only server a route talks to
    // whose errors can reach here (a channel's test delivery returns its outcome instead).
    if (isDatabaseUnavailable(error)) {
      unavailableLog.report((notLogged) => request.log.warn({ err: error, notLogged }, 'database unavailable; answering 503'));
      reply.header('retry-after', String(retryAfterSeconds));
      return sendError(reply, 503, 'unavailable', databaseUnavailableMessage);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendError(reply, status, 'bad_request', error.message);
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 500, 'internal', 'internal error; it has been logged');
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, 'not_found', `no route for ${request.method} ${request.url.split('?')[0]}`));
}
