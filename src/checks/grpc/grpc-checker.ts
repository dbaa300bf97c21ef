// "grpc": the standard gRPC health check (grpc.health.v1.Health/Check) answers SERVING for a
// service, or for the server as a whole when the service name is empty. @grpc/grpc-js with the
// two messages encoded by hand (health-messages.ts), so it works from the compiled dist alone.
import type * as Grpc from '@grpc/grpc-js';
import Type from 'typebox';
import { deadlineFor } from '../shared/deadline.js';
import { applyDefaults } from '../shared/defaults.js';
import { describeEmbeddedNetworkError } from '../shared/embedded-error.js';
import { describeNetworkError } from '../shared/network-errors.js';
import { CaPemSchema, HostSchema } from '../shared/schemas.js';
import { formatMs, startStopwatch } from '../shared/stopwatch.js';
import { defineChecker } from '../types.js';
import { decodeHealthCheckResponse, encodeHealthCheckRequest, SERVING, servingStatusNames } from './health-messages.js';

const checkMethod = '/grpc.health.v1.Health/Check';

export const grpcDefaults = { service: '', tls: false, ignoreTls: false } as const;

const GrpcConfigSchema = Type.Object({
  host: HostSchema,
  port: Type.Integer({ minimum: 1, maximum: 65535, description: 'TCP port of the gRPC server.' }),
  service: Type.Optional(Type.String({ default: grpcDefaults.service, description: 'Service name to ask about, e.g. "shop.Orders"; empty asks about the server as a whole.' })),
  tls: Type.Optional(Type.Boolean({ default: grpcDefaults.tls, description: 'Connect with TLS.' })),
  ignoreTls: Type.Optional(Type.Boolean({ default: grpcDefaults.ignoreTls, description: 'With `tls`, skip certificate verification (chain, host name, dates).' })),
  ca: Type.Optional(CaPemSchema),
}, { additionalProperties: false });

export const grpcChecker = defineChecker({
  type: 'grpc',
  title: 'gRPC health check (grpc.health.v1)',
  configSchema: GrpcConfigSchema,
  describeTarget: (config) => `grpc${config.tls ? 's' : ''}://${hostPort(config.host, config.port)}${config.service ? `/${config.service}` : ''}`,
  run: async (written, ctx) => {
    const grpc = await import('@grpc/grpc-js'); // loaded on first use (registry.ts)
    const config = applyDefaults(written, grpcDefaults);
    const deadline = deadlineFor(ctx);
    const stopwatch = startStopwatch();
    const credentials = config.tls
      ? grpc.credentials.createSsl(config.ca ? Buffer.from(config.ca) : null, null, null, { rejectUnauthorized: !config.ignoreTls })
      : grpc.credentials.createInsecure();
    // A channel of its own, out of the global subchannel pool, so closing it really closes the connection.
    const client = new grpc.Client(hostPort(config.host, config.port), credentials, { 'grpc.use_local_subchannel_pool': 1 });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const call = client.makeUnaryRequest(
          checkMethod,
          encodeHealthCheckRequest,
          decodeHealthCheckResponse,
          config.service,
          new grpc.Metadata(),
          { deadline: Date.now() + ctx.timeoutMs },
          (err, response) => (err ? reject(err) : resolve(response ?? 0)),
        );
        deadline.signal.addEventListener('abort', () => call.cancel(), { once: true });
      });
      const latencyMs = stopwatch.elapsedMs();
      const subject = config.service ? `service '${config.service}'` : 'server';
      const name = servingStatusNames[status] ?? `status ${status}`;
      if (status !== SERVING) return { up: false, latencyMs, detail: `${subject} is ${name}` };
      return { up: true, latencyMs, detail: `${subject} is SERVING (${formatMs(latencyMs)})` };
    } catch (err) {
      const detail = deadline.signal.aborted ? deadline.timedOutDetail : describeGrpcError(grpc, err, config.service, ctx.timeoutMs);
      return { up: false, latencyMs: null, detail };
    } finally {
      client.close();
    }
  },
});

function describeGrpcError(grpc: typeof Grpc, err: unknown, service: string, timeoutMs: number): string {
  const { code, details } = err as { code?: number; details?: string };
  switch (code) {
    case grpc.status.NOT_FOUND:
      return service ? `service '${service}' is unknown to the server` : 'server reports no overall health status (NOT_FOUND)';
    case grpc.status.UNIMPLEMENTED:
      return 'server does not implement the gRPC health service';
    case grpc.status.DEADLINE_EXCEEDED:
      return `timed out after ${timeoutMs} ms`;
    case grpc.status.UNAVAILABLE:
      return unavailableReason(details ?? '');
    case undefined:
      return describeNetworkError(err);
    default:
      return `health check failed: ${grpc.status[code] ?? code} ${details ?? ''}`.trim();
  }
}

// grpc-js reports connection failures as UNAVAILABLE with text like "No connection established.
// Last error: Error: connect ECONNREFUSED 127.0.0.1:50051. Resolution note: ": dig out the cause.
function unavailableReason(details: string): string {
  const lastError = /Last error: (?:\w*Error: )?(.*?)\.?(?: Resolution note:.*)?$/s.exec(details)?.[1] || details;
  const network = describeEmbeddedNetworkError(lastError);
  if (network) return network;
  if (/certificate|SSL|TLS/i.test(lastError)) return `TLS handshake failed: ${lastError}`;
  return `server unavailable: ${lastError}`;
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
