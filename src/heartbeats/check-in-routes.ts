// The public check-in URLs (GET, HEAD or POST; no Tocsin credentials: the URL or a header is
// the secret): Tocsin's /ping/..., Missme's /notify/<id>, statuspage's /refresh/<id> and Uptime
// Kuma's /api/push/<token>. Each answers only after its check-in is committed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { badRequest, unauthorized } from '../domain/errors.js';
import type { BatchWriter } from './batch-writer.js';
import { parseSignalWord, type CheckIn, type CheckInResult, type CheckInTarget } from './check-in.js';
import type { Signal } from './signals.js';

const tokenPattern = /^[A-Za-z0-9_-]{1,128}$/;
const slugPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;
// Missme and statuspage ids are chosen freely; keep them to URL-safe characters.
const legacyIdPattern = /^[A-Za-z0-9._~-]{1,128}$/;
const methods = ['GET', 'POST'] as const; // Fastify answers HEAD through the GET route.

function checkToken(value: string, what: string): string {
  if (!tokenPattern.test(value)) throw badRequest(`${what} must be 1-128 letters, digits, "-" or "_"`);
  return value;
}

function checkLegacyId(value: string): string {
  if (!legacyIdPattern.test(value)) throw badRequest('the id must be 1-128 letters, digits, ".", "_", "~" or "-"');
  return value;
}

function checkSlug(value: string): string {
  if (!slugPattern.test(value)) throw badRequest('the service slug must be lower-case letters, digits, "-" or "_"');
  return value;
}

function signalOrFail(word: string): Signal {
  const signal = parseSignalWord(word);
  if (!signal) throw badRequest(`"${word}" is not a signal: use start, fail, log or an exit status 0-255`);
  return signal;
}

/** Reads a two-part /ping/<a>/<b>: a token plus a signal, or a ping key plus a slug. */
function twoPartTarget(a: string, b: string, create: boolean): { target: CheckInTarget; signal: Signal } {
  if (/^\d+$/.test(b)) return { target: { by: 'token', token: checkToken(a, 'the check-in token') }, signal: signalOrFail(b) };
  const signal = parseSignalWord(b);
  if (signal) return { target: { by: 'token', token: checkToken(a, 'the check-in token'), orSlug: { pingKey: a, slug: b } }, signal };
  return { target: { by: 'slug', pingKey: checkToken(a, 'the ping key'), slug: checkSlug(b), create }, signal: { kind: 'success' } };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The longest latency a push may report: a day. Beyond it the figure would only distort charts. */
const maxLatencyMs = 86_400_000;

/**
 * Kuma's `ping`: empty or absent is no figure; otherwise a plain number of milliseconds (`Number`
 * alone would read " " as 0 and "0x10" as 16).
 */
function kumaLatency(ping: string | undefined): number | null {
  if (ping === undefined || ping === '') return null;
  const ms = /^\d+(\.\d+)?$/.test(ping) ? Number(ping) : NaN;
  if (!(ms <= maxLatencyMs)) throw badRequest(`ping must be a number of milliseconds from 0 to ${maxLatencyMs}`);
  return ms;
}

const errorCodes = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' } as const;

/** PostgreSQL's text cannot hold NUL: stored text shows U+FFFD in its place, on every database. */
const withoutNul = (text: string) => text.replaceAll('\0', '\uFFFD');

export function checkInRoutes(app: FastifyInstance, ctx: AppContext, writer: BatchWriter): void {
  // Any body is the check-in's log: keep it raw, whatever its content type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const bodyOf = (request: FastifyRequest): string | null => {
    const raw = request.body;
    if (!Buffer.isBuffer(raw) || raw.length === 0) return null;
    return withoutNul(raw.subarray(0, ctx.settings.pingBodyLimit).toString('utf8'));
  };
  const submit = (request: FastifyRequest, target: CheckInTarget, signal: Signal, extra: Partial<CheckIn> = {}) =>
    writer.submit({
      target, signal, at: ctx.now(), body: bodyOf(request), sourceIp: request.ip,
      userAgent: header(request, 'user-agent')?.slice(0, 255) ?? null, ...extra,
    });
  const failed = (reply: FastifyReply, result: CheckInResult & { ok: false }) =>
    reply.status(result.status).send({ error: { code: errorCodes[result.status], message: result.message, details: null } });
  // Healthchecks answers a check-in that created its service with 201 "Created".
  const answered = (reply: FastifyReply, result: CheckInResult) =>
    (!result.ok ? failed(reply, result) : result.created ? reply.status(201).type('text/plain').send('Created') : reply.type('text/plain').send('OK'));
  // ownDeadline: the batch writer answers 503 past TOCSIN_CHECKIN_TIMEOUT (http/request-deadline.ts).
  const config = { public: true, ownDeadline: true };
  const schema = { hide: true };

  for (const method of methods) {
    app.route<{ Params: { a: string }; Querystring: { create?: string } }>({
      method, url: '/ping/:a', config, schema,
      handler: async (request, reply) => {
        const result = await submit(request, { by: 'token', token: checkToken(request.params.a, 'the check-in token') }, { kind: 'success' });
        return answered(reply, result);
      },
    });
    app.route<{ Params: { a: string; b: string }; Querystring: { create?: string } }>({
      method, url: '/ping/:a/:b', config, schema,
      handler: async (request, reply) => {
        const { target, signal } = twoPartTarget(request.params.a, request.params.b, request.query.create === '1');
        const result = await submit(request, target, signal);
        return answered(reply, result);
      },
    });
    app.route<{ Params: { a: string; b: string; c: string }; Querystring: { create?: string } }>({
      method, url: '/ping/:a/:b/:c', config, schema,
      handler: async (request, reply) => {
        const { a, b, c } = request.params;
        const target: CheckInTarget = { by: 'slug', pingKey: checkToken(a, 'the ping key'), slug: checkSlug(b), create: request.query.create === '1' };
        const result = await submit(request, target, signalOrFail(c));
        return answered(reply, result);
      },
    });

    // Missme: `curl -H "x-api-key: <key>" <url>/notify/<id>` answers 204.
    app.route<{ Params: { id: string } }>({
      method, url: '/notify/:id', config, schema,
      handler: async (request, reply) => {
        const apiKey = header(request, 'x-api-key');
        if (!apiKey) throw unauthorized('send the service\'s key in the x-api-key header');
        const result = await submit(request, { by: 'legacy', legacyId: checkLegacyId(request.params.id), apiKey }, { kind: 'success' });
        return result.ok ? reply.status(204).send() : failed(reply, result);
      },
    });

    // statuspage: `curl --header "X-Token: <token>" <url>/refresh/<id>` answers {"refreshed": N}.
    app.route<{ Params: { id: string } }>({
      method, url: '/refresh/:id', config, schema,
      handler: async (request, reply) => {
        const apiKey = header(request, 'x-token');
        if (!apiKey) throw unauthorized('send the status page token in the X-Token header');
        const result = await submit(request, { by: 'legacy', legacyId: checkLegacyId(request.params.id), apiKey }, { kind: 'success' });
        if (!result.ok) return failed(reply, result);
        // The exact bytes statuspage (aiohttp json_response) sent.
        return reply.type('application/json; charset=utf-8').send(`{"refreshed": ${result.serviceIds.length}}`);
      },
    });

    // Uptime Kuma push monitors: /api/push/<token>?status=up|down&msg=...&ping=...
    app.route<{ Params: { token: string }; Querystring: { status?: string; msg?: string; ping?: string } }>({
      method, url: '/api/push/:token', config, schema,
      handler: async (request, reply) => {
        const { status = 'up', msg, ping } = request.query;
        if (status !== 'up' && status !== 'down') throw badRequest('status must be "up" or "down"');
        const latencyMs = kumaLatency(ping);
        const message = msg ? withoutNul(msg.slice(0, 1000)) : undefined;
        const signal: Signal = status === 'up' ? { kind: 'success', message } : { kind: 'fail', message };
        const result = await submit(request, { by: 'token', token: checkToken(request.params.token, 'the push token') }, signal, { latencyMs });
        if (!result.ok) {
          return reply.status(result.status).send({ ok: false, msg: result.message, error: { code: errorCodes[result.status], message: result.message, details: null } });
        }
        return { ok: true };
      },
    });
  }
}
