// Every route answers within TOCSIN_REQUEST_TIMEOUT. A database that refuses or cuts connections
// fails a request at once (503), but one that stalls (a network partition, a server frozen on
// I/O) would hold it for as long as the stall lasts, and the client with it. Past the deadline the
// request is answered 503 with Retry-After; the handler's own work ends when the database answers,
// and Fastify then logs that the reply was already sent. Check-in routes bound their wait
// themselves (TOCSIN_CHECKIN_TIMEOUT, heartbeats/check-in-deadline.ts) and say so with
// `ownDeadline`, which also keeps a timer per request off the hottest path.
//
// Why not Fastify's own `handlerTimeout`: in Fastify 5.12 on Node 20 it is cleared when the
// request's 'close' event fires, which Node emits as soon as a body has been read, so it never
// fires for a POST with a body (measured: a 2 s handler behind a 500 ms handlerTimeout answered
// 200 after 2 s).
import type { FastifyInstance } from 'fastify';
import { LogThrottle } from '../app/log-throttle.js';
import { AppError } from '../domain/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route bounds its own wait; no request deadline. */
    ownDeadline?: boolean;
  }
}

export function registerRequestDeadline(app: FastifyInstance, timeoutMs: number): void {
  const timedOutLog = new LogThrottle(10_000);
  const message = `no answer within ${timeoutMs / 1000} s (the database may be stalled); try again shortly`;
  // Registered before the authentication hook, so that a session lookup that hangs counts too.
  app.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config?.ownDeadline) return done();
    const timer = setTimeout(() => {
      if (reply.sent) return;
      timedOutLog.report((notLogged) => request.log.warn({ url: request.url, notLogged }, 'request timed out; answering 503'));
      reply.send(new AppError('unavailable', message));
    }, timeoutMs);
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  });
}
