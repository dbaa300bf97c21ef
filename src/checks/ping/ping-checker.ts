// The `ping` checker runs the system `ping` (Debian: iputils-ping) rather than crafting ICMP
// itself: raw sockets need privileges that the ping binary already has (capabilities or setuid).
// Latency is the average round trip; the check is down when the packet loss reaches
// `lossThresholdPercent` (default 100: only when nothing answers; partial loss is reported in
// the detail of an "up" result).
import { spawn } from 'node:child_process';
import Type from 'typebox';
import { defineChecker } from '../types.js';
import type { CheckOutcome } from '../types.js';
import { deadlineFor } from '../shared/deadline.js';
import { familyMismatch, IpFamilySchema } from '../shared/ip-family.js';
import { HostSchema } from '../shared/schemas.js';
import { formatMs } from '../shared/stopwatch.js';
import { parsePingOutput } from './ping-output.js';
import type { PingSummary } from './ping-output.js';

export const pingDefaults = { count: 3, lossThresholdPercent: 100 } as const;

export const PingConfigSchema = Type.Object({
  host: HostSchema,
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: pingDefaults.count, description: 'Echo requests to send (0.2 s apart).' })),
  lossThresholdPercent: Type.Optional(Type.Number({
    minimum: 1,
    maximum: 100,
    default: pingDefaults.lossThresholdPercent,
    description: 'The check is down when packet loss is at least this percentage.',
  })),
  ipFamily: Type.Optional(IpFamilySchema),
}, { additionalProperties: false });

// A fixed PATH and the C locale make the command and its output the same on every machine,
// whatever the service's own environment says.
const pingEnvironment = { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', LC_ALL: 'C' };

export const pingChecker = defineChecker({
  type: 'ping',
  title: 'ICMP ping',
  configSchema: PingConfigSchema,
  describeTarget: (config) => config.host,
  async run(config, ctx) {
    const mismatch = familyMismatch(config.host, config.ipFamily);
    if (mismatch) return down(mismatch);
    const deadline = deadlineFor(ctx);
    const count = config.count ?? pingDefaults.count;
    // ping's own deadline (-w, whole seconds) ends it with a summary before ours kills it when it can.
    const pingDeadlineSeconds = Math.max(1, Math.floor(ctx.timeoutMs / 1000) - 1);
    const family = config.ipFamily === 4 ? ['-4'] : config.ipFamily === 6 ? ['-6'] : [];
    const args = ['-n', '-c', String(count), '-i', '0.2', '-w', String(pingDeadlineSeconds), ...family, '--', config.host];
    const result = await runPing(args, deadline.signal);
    if (result.kind === 'error') return down(result.message);
    if (result.kind === 'aborted') return down(deadline.timedOutDetail);
    const summary = parsePingOutput(result.stdout);
    if (!summary) return down(explainFailure(result.stderr, config.host));
    return judge(summary, config.lossThresholdPercent ?? pingDefaults.lossThresholdPercent);
  },
});

function judge(summary: PingSummary, lossThresholdPercent: number): CheckOutcome {
  const loss = `${Math.round(summary.lossPercent)}% packet loss (${summary.received}/${summary.transmitted} replies)`;
  const latencyMs = summary.averageMs ?? null;
  if (summary.lossPercent >= lossThresholdPercent || latencyMs === null) return { up: false, latencyMs, detail: loss };
  const detail = summary.lossPercent > 0 ? `average ${formatMs(latencyMs)}, ${loss}` : `average ${formatMs(latencyMs)}, no packet loss`;
  return { up: true, latencyMs, detail };
}

function explainFailure(stderr: string, host: string): string {
  if (/Name or service not known|No address associated|Temporary failure in name resolution/.test(stderr)) return `host name not found: ${host}`;
  const message = stderr.trim().split('\n')[0]?.replace(/^ping: /, '');
  return message || 'ping failed without output';
}

function down(detail: string): CheckOutcome {
  return { up: false, latencyMs: null, detail };
}

type PingRun = { kind: 'done'; stdout: string; stderr: string } | { kind: 'aborted' } | { kind: 'error'; message: string };

function runPing(args: string[], signal: AbortSignal): Promise<PingRun> {
  return new Promise((resolve) => {
    const child = spawn('ping', args, { env: pingEnvironment, stdio: ['ignore', 'pipe', 'pipe'], signal, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError') resolve({ kind: 'aborted' });
      else resolve({ kind: 'error', message: err.code === 'ENOENT' ? 'ping command not found (install iputils-ping)' : err.message });
    });
    child.once('close', () => resolve({ kind: 'done', stdout, stderr }));
  });
}
