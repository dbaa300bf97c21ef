// The `tls` checker: completes a TLS handshake and judges the server certificate. Down when it is
// expired, not yet valid, or expires within `certExpiryDays`; with `verifyChain` (the default)
// also when it is not trusted (unknown issuer, self-signed, wrong host name). Verification is
// done after the handshake rather than by refusing it, so an untrusted certificate still gets
// its dates reported.
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import Type from 'typebox';
import { defineChecker } from '../types.js';
import type { CheckOutcome } from '../types.js';
import { awaitSocket } from '../shared/await-socket.js';
import { certificateDateProblem, certificateFacts, describeValidCertificate } from '../shared/certificate.js';
import { deadlineFor } from '../shared/deadline.js';
import { hostPort } from '../shared/host-port.js';
import { describeTlsCode } from '../shared/network-errors.js';
import { CaPemSchema, CertExpiryDaysSchema, defaultCertExpiryDays, HostSchema, PortSchema } from '../shared/schemas.js';
import { startStopwatch } from '../shared/stopwatch.js';
import { contextTrusting } from '../shared/trusted-ca.js';

export const tlsDefaults = { port: 443, verifyChain: true, certExpiryDays: defaultCertExpiryDays } as const;

export const TlsConfigSchema = Type.Object({
  host: HostSchema,
  port: Type.Optional(Type.Integer({ ...PortSchema, default: tlsDefaults.port })),
  servername: Type.Optional(Type.String({ minLength: 1, description: 'Name sent as SNI and checked against the certificate; default: host (unless it is an IP address).' })),
  certExpiryDays: Type.Optional(CertExpiryDaysSchema),
  verifyChain: Type.Optional(Type.Boolean({
    default: tlsDefaults.verifyChain,
    description: 'Also require a trusted chain and a matching host name; false checks the dates only.',
  })),
  caPem: Type.Optional(CaPemSchema),
}, { additionalProperties: false });

export const tlsChecker = defineChecker({
  type: 'tls',
  title: 'TLS certificate',
  configSchema: TlsConfigSchema,
  describeTarget: (config) => hostPort(config.host, config.port ?? tlsDefaults.port),
  async run(config, ctx) {
    const deadline = deadlineFor(ctx);
    const stopwatch = startStopwatch();
    const socket = connect({
      host: config.host,
      port: config.port ?? tlsDefaults.port,
      servername: config.servername ?? (isIP(config.host) ? undefined : config.host),
      rejectUnauthorized: false,
      secureContext: config.caPem ? contextTrusting(config.caPem) : undefined,
    });
    try {
      const handshake = await awaitSocket(socket, 'secureConnect', deadline);
      if (handshake !== null) return { up: false, latencyMs: null, detail: handshake };
      return { ...judge(socket, config), latencyMs: stopwatch.elapsedMs() };
    } finally {
      socket.destroy();
    }
  },
});

function judge(socket: TLSSocket, config: { certExpiryDays?: number; verifyChain?: boolean }): Pick<CheckOutcome, 'up' | 'detail'> {
  const certificate = socket.getPeerCertificate();
  if (!certificate || Object.keys(certificate).length === 0) return { up: false, detail: 'server sent no certificate' };
  const facts = certificateFacts(certificate);
  const now = new Date();
  const dateProblem = certificateDateProblem(facts, config.certExpiryDays ?? tlsDefaults.certExpiryDays, now);
  if (dateProblem) return { up: false, detail: dateProblem };
  if ((config.verifyChain ?? tlsDefaults.verifyChain) && !socket.authorized) {
    return { up: false, detail: `certificate not trusted: ${describeTlsCode(String(socket.authorizationError))}` };
  }
  return { up: true, detail: describeValidCertificate(facts, now) };
}
