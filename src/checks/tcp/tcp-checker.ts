// The `tcp` checker: up when a TCP connection to host:port opens; latency is the connect time
// (DNS lookup included). The connection is closed right away without sending anything.
import { connect } from 'node:net';
import Type from 'typebox';
import { defineChecker } from '../types.js';
import { awaitSocket } from '../shared/await-socket.js';
import { deadlineFor } from '../shared/deadline.js';
import { familyMismatch, IpFamilySchema, lookupFamily } from '../shared/ip-family.js';
import { hostPort } from '../shared/host-port.js';
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
    const socket = connect({ host: config.host, port: config.port, family: lookupFamily(config.ipFamily) });
    try {
      const failure = await awaitSocket(socket, 'connect', deadline);
      if (failure !== null) return { up: false, latencyMs: null, detail: failure };
      const latencyMs = stopwatch.elapsedMs();
      const peer = hostPort(socket.remoteAddress ?? config.host, config.port);
      return { up: true, latencyMs, detail: `connected to ${peer} in ${formatMs(latencyMs)}` };
    } finally {
      socket.destroy();
    }
  },
});
