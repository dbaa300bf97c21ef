// The connections of one http check: every request (the first one and each redirect) opens a new
// connection, the first one's phases (DNS, TCP, TLS) are timed, and the certificate of the first
// TLS connection is kept. destroy() closes whatever is still open when the check ends.
//
// Why a new connection per request instead of a shared keep-alive pool: a monitor should measure
// what a new visitor sees, DNS + connect + TLS included, and a reused socket would hide exactly
// those phases (and a dead server behind a still-open socket). No socket outlives its check: with
// 10,000 monitors the open sockets are bounded by the checks in flight, never by the monitors.
//
// Why node:http rather than undici: a check needs one request and its socket's events ('lookup',
// 'connect', 'secureConnect'), which node:http gives directly. undici needs an Agent, a Pool, a
// Client and a connector per check to do the same: at 333 checks/s against a local server that
// cost 31 % of a core and 154 MB RSS, against 22 % and 108 MB for node:http (bench/README.md).
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { PeerCertificate, SecureContext, TLSSocket } from 'node:tls';
import { roundMs, startStopwatch } from '../shared/stopwatch.js';
import { contextTrusting } from '../shared/trusted-ca.js';
import type { Stopwatch } from '../shared/stopwatch.js';

export interface ConnectionTimings {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
}

export interface ConnectionOptions {
  ignoreTls: boolean;
  family: 0 | 4 | 6;
  caPem?: string;
}

export interface OutgoingRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export class FreshConnections {
  /** Phases of the first connection the check opened (the one to the configured URL). */
  readonly timings: ConnectionTimings = {};
  /** Certificate of the first TLS connection, captured even when verification is off. */
  certificate: PeerCertificate | undefined;
  private readonly sockets: Socket[] = [];
  private readonly secureContext: SecureContext | undefined;
  private sentBefore = false;

  constructor(private readonly options: ConnectionOptions) {
    this.secureContext = options.caPem ? contextTrusting(options.caPem) : undefined;
  }

  /** Sends one request on a new connection; resolves with the response once its headers arrived. */
  send(outgoing: OutgoingRequest, signal: AbortSignal): Promise<IncomingMessage> {
    const { url } = outgoing;
    const isTls = url.protocol === 'https:';
    const stopwatch = this.sentBefore ? undefined : startStopwatch();
    this.sentBefore = true;
    return new Promise((resolve, reject) => {
      const request = (isTls ? httpsRequest : httpRequest)({
        protocol: url.protocol,
        // URL keeps the brackets of an IPv6 literal; the socket wants the bare address.
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port,
        path: url.pathname + url.search,
        method: outgoing.method,
        headers: outgoing.headers,
        family: this.options.family,
        // A new connection closed after its response, never pooled.
        agent: false,
        signal,
        ...(isTls && { rejectUnauthorized: !this.options.ignoreTls, secureContext: this.secureContext }),
      }, resolve);
      // 'on', not 'once': a late second error must not become an uncaught exception.
      request.on('error', reject);
      request.once('socket', (socket: Socket) => this.watch(socket, isTls, stopwatch));
      request.end(outgoing.body);
    });
  }

  destroy(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  private watch(socket: Socket, isTls: boolean, stopwatch: Stopwatch | undefined): void {
    this.sockets.push(socket);
    if (stopwatch) recordPhases(socket, isTls, stopwatch, this.timings);
    if (isTls && !this.certificate) {
      socket.once('secureConnect', () => { this.certificate ??= (socket as TLSSocket).getPeerCertificate(); });
    }
  }
}

// 'lookup' does not fire for IP literals, so the DNS phase is then absent and connect starts at 0.
function recordPhases(socket: Socket, isTls: boolean, stopwatch: Stopwatch, timings: ConnectionTimings): void {
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
