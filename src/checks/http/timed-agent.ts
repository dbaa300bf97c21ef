// A one-check undici Agent whose connector records how long DNS, TCP and TLS took and keeps the
// server certificate.
//
// Why one Agent per check instead of a shared keep-alive pool: a monitor should measure what a
// new visitor sees, DNS + connect + TLS included, and a reused socket would hide exactly those
// phases (and a dead server behind a still-open socket). The Agent is destroyed when the check
// ends, so no socket outlives its check: with 10,000 monitors the open sockets are bounded by the
// checks in flight, never by the number of monitors. Within one check, redirects to the same
// origin reuse the connection.
//
// Why undici with a custom connector rather than node:http: undici gives a clean request API
// with AbortSignal and streaming bodies, and its connector hook hands us the socket before it
// connects, which is all that timing needs ('lookup', 'connect', 'secureConnect' events).
import { rootCertificates } from 'node:tls';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { roundMs, startStopwatch } from '../shared/stopwatch.js';

export interface ConnectionTimings {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
}

export interface TimedAgentOptions {
  ignoreTls: boolean;
  family: 0 | 4 | 6;
  caPem?: string;
  connectTimeoutMs: number;
}

export interface TimedAgent {
  dispatcher: Agent;
  /** Phases of the first connection the check opened (the one to the configured URL). */
  timings: ConnectionTimings;
  /** Certificate of the first TLS connection, captured even when verification is off. */
  certificate(): PeerCertificate | undefined;
  destroy(): Promise<void>;
}

export function createTimedAgent(options: TimedAgentOptions): TimedAgent {
  const baseConnect = buildConnector({
    rejectUnauthorized: !options.ignoreTls,
    family: options.family,
    ca: options.caPem ? [...rootCertificates, options.caPem] : undefined,
    timeout: options.connectTimeoutMs,
  });
  const timings: ConnectionTimings = {};
  let timed = false;
  let certificate: PeerCertificate | undefined;

  const connect: buildConnector.connector = (connectOptions, callback) => {
    const isTls = connectOptions.protocol === 'https:';
    const socket = baseConnect(connectOptions, (...result) => {
      if (result[0] === null && isTls && !certificate) certificate = (result[1] as TLSSocket).getPeerCertificate();
      callback(...result);
    }) as unknown as TLSSocket;
    if (!timed) {
      timed = true;
      recordPhases(socket, isTls, timings);
    }
    return socket;
  };

  const dispatcher = new Agent({ connect });
  return {
    dispatcher,
    timings,
    certificate: () => certificate,
    destroy: () => dispatcher.destroy().catch(() => undefined),
  };
}

// 'lookup' does not fire for IP literals, so the DNS phase is then absent and connect starts at 0.
function recordPhases(socket: TLSSocket, isTls: boolean, timings: ConnectionTimings): void {
  const stopwatch = startStopwatch();
  let connectStart = 0;
  socket.once('lookup', () => {
    timings.dnsMs = stopwatch.elapsedMs();
    connectStart = timings.dnsMs;
  });
  socket.once('connect', () => {
    const connected = stopwatch.elapsedMs();
    timings.connectMs = roundMs(connected - connectStart);
    if (isTls) socket.once('secureConnect', () => { timings.tlsMs = roundMs(stopwatch.elapsedMs() - connected); });
  });
}
