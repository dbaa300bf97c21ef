// A real grpc-js server implementing grpc.health.v1.Health/Check from health.proto (loaded with
// @grpc/proto-loader), answering from a map of service name -> status, like grpc-health-check.
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { TestCertificate } from './tls-certificate.js';

export type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'UNKNOWN';

export interface TestGrpcServer {
  port: number;
  stop(): Promise<void>;
}

/** With `statuses` null the server has no health service at all. */
export async function startGrpcHealthServer(
  statuses: Record<string, ServingStatus> | null,
  certificate?: TestCertificate,
): Promise<TestGrpcServer> {
  const definition = protoLoader.loadSync(fileURLToPath(new URL('./health.proto', import.meta.url)), { enums: String, defaults: true });
  const health = grpc.loadPackageDefinition(definition) as unknown as {
    grpc: { health: { v1: { Health: { service: grpc.ServiceDefinition } } } };
  };
  const server = new grpc.Server();
  if (statuses) server.addService(health.grpc.health.v1.Health.service, {
    Check: (call: grpc.ServerUnaryCall<{ service: string }, unknown>, callback: grpc.sendUnaryData<{ status: string }>) => {
      const status = statuses[call.request.service];
      // The protocol: an unknown service fails the call with NOT_FOUND.
      if (status === undefined) callback({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
      else callback(null, { status });
    },
    Watch: (call: grpc.ServerWritableStream<unknown, unknown>) => call.end(),
  });
  const credentials = certificate
    ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: certificate.cert, private_key: certificate.key }])
    : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', credentials, (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
