// The `tcp` checker: up when a TCP connection to host:port opens; latency is the connect time
// (DNS lookup included). The connection is closed right away without sending anything.
import { connect } from 'node:net';
import Type from 'typebox';
import { defineChecker } from '../types.js';
import { deadlineFor } from '../shared/deadline.js';
import { familyMismatch, IpFamilySchema, lookupFamily } from '../shared/ip-family.js';
import { describeNetworkError } from '../shared/network-errors.js';
import { HostSchema, PortSchema } from '../shared/schemas.js';
import { formatMs, startStopwatch } from '../shared/stopwatch.js';

export const TcpConfigSchema = Type.Object({
  host: HostSchema,
  port: PortSchema,
  ipFamily: Type.Optional(IpFamilySchema),
}, { additionalProperties: false });

export const tcpChecker = defineChecker({
  type: 'tcp',
  title: 'TCP port open',
  configSchema: TcpConfigSchema,
  describeTarget: (config) => hostPort(config.host, config.port),
  async run(config, ctx) {
    const mismatch = familyMismatch(config.host, config.ipFamily);
    if (mismatch) return { up: false, latencyMs: null, detail: mismatch };
    const deadline = deadlineFor(ctx);
    const stopwatch = startStopwatch();
    return new Promise((resolve) => {
      const socket = connect({ host: config.host, port: config.port, family: lookupFamily(config.ipFamily) });
      const finish = (up: boolean, detail: string) => {
        deadline.signal.removeEventListener('abort', onAbort);
        socket.destroy();
        const latencyMs = up ? stopwatch.elapsedMs() : null;
        resolve({ up, latencyMs, detail: up ? `${detail} in ${formatMs(latencyMs ?? 0)}` : detail });
      };
      const onAbort = () => finish(false, deadline.timedOutDetail);
      if (deadline.signal.aborted) return onAbort();
      deadline.signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => finish(true, `connected to ${hostPort(socket.remoteAddress ?? config.host, config.port)}`));
      socket.once('error', (err) => finish(false, describeNetworkError(err)));
    });
  },
});

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
