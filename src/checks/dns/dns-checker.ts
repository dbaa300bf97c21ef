// The `dns` checker: resolves one name and record type, optionally through a given resolver, and
// is up when there is an answer (and, with `expected`, when one of the records matches it).
import { isIP } from 'node:net';
import { Resolver } from 'node:dns/promises';
import Type from 'typebox';
import { defineChecker } from '../types.js';
import type { CheckOutcome } from '../types.js';
import { deadlineFor } from '../shared/deadline.js';
import { errorCode } from '../shared/network-errors.js';
import { formatMs, startStopwatch } from '../shared/stopwatch.js';
import { recordMatches, recordsAsText, recordTypes } from './dns-records.js';
import type { RecordType } from './dns-records.js';

export const DnsConfigSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 253, description: 'The name to resolve; for PTR also an IP address.' }),
  recordType: Type.Optional(Type.Enum(recordTypes, { default: 'A', description: 'Record type to ask for.' })),
  expected: Type.Optional(Type.String({
    minLength: 1,
    description: 'Up only when a record equals this (case-insensitive), e.g. "192.0.2.1", "10 mail.example.com" or just "mail.example.com".',
  })),
  resolver: Type.Optional(Type.String({ minLength: 1, description: 'DNS server as ip, ip:port or [ipv6]:port; default: the system resolvers.' })),
}, { additionalProperties: false });

const answerFailures: Record<string, (name: string, type: string) => string> = {
  ENOTFOUND: (name) => `${name} does not exist (NXDOMAIN)`,
  ENODATA: (name, type) => `no ${type} records for ${name}`,
  ESERVFAIL: () => 'DNS server failed to answer (SERVFAIL)',
  EREFUSED: () => 'DNS server refused the query',
  ECONNREFUSED: () => 'could not reach the DNS server (connection refused)',
  EBADNAME: (name) => `invalid name ${name}`,
};

export const dnsChecker = defineChecker({
  type: 'dns',
  title: 'DNS record',
  configSchema: DnsConfigSchema,
  describeTarget: (config) => `${config.recordType ?? 'A'} ${config.name}${config.resolver ? ` @${config.resolver}` : ''}`,
  async run(config, ctx) {
    const type: RecordType = config.recordType ?? 'A';
    const deadline = deadlineFor(ctx);
    const resolver = new Resolver({ timeout: ctx.timeoutMs, tries: 1 });
    try {
      if (config.resolver) resolver.setServers([config.resolver]);
    } catch {
      return down(`invalid resolver address ${config.resolver}`);
    }
    const cancel = () => resolver.cancel();
    deadline.signal.addEventListener('abort', cancel, { once: true });
    const stopwatch = startStopwatch();
    try {
      const answer = type === 'PTR' && isIP(config.name) ? await resolver.reverse(config.name) : await resolver.resolve(config.name, type);
      const latencyMs = stopwatch.elapsedMs();
      return judge(recordsAsText(type, answer), config.expected, latencyMs);
    } catch (err) {
      const code = errorCode(err) ?? '';
      if (deadline.signal.aborted || code === 'ETIMEOUT' || code === 'ECANCELLED') return down(deadline.timedOutDetail);
      return down(answerFailures[code]?.(config.name, type) ?? `DNS query failed: ${(err as Error).message}`);
    } finally {
      deadline.signal.removeEventListener('abort', cancel);
    }
  },
});

function judge(records: { text: string; main?: string }[], expected: string | undefined, latencyMs: number): CheckOutcome {
  const shown = records.slice(0, 3).map((r) => r.text).join(', ') + (records.length > 3 ? `, … (${records.length} records)` : '');
  if (records.length === 0) return { up: false, latencyMs, detail: 'empty answer' };
  if (expected !== undefined && !records.some((r) => recordMatches(r, expected))) {
    return { up: false, latencyMs, detail: `expected ${expected}, got ${shown}` };
  }
  return { up: true, latencyMs, detail: `${shown} in ${formatMs(latencyMs)}` };
}

function down(detail: string): CheckOutcome {
  return { up: false, latencyMs: null, detail };
}
