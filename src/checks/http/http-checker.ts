// The `http` checker: one request (plus redirects) with a fresh connection, judged on status,
// certificate expiry, response time, keywords and an optional JSON assertion, in that order.
import type { PeerCertificate } from 'node:tls';
import { defineChecker } from '../types.js';
import type { CheckOutcome } from '../types.js';
import { certificateDateProblem, certificateFacts } from '../shared/certificate.js';
import { deadlineFor } from '../shared/deadline.js';
import { familyMismatch, lookupFamily } from '../shared/ip-family.js';
import { describeNetworkError } from '../shared/network-errors.js';
import { formatMs, startStopwatch } from '../shared/stopwatch.js';
import { HttpConfigSchema, httpDefaults } from './http-schema.js';
import type { HttpConfig } from './http-schema.js';
import { checkJsonAssertion } from './json-assertion.js';
import { sendRequest } from './send-request.js';
import type { RequestResult } from './send-request.js';
import { describeAccepted, isAcceptedStatus } from './status-codes.js';
import { FreshConnections } from './fresh-connections.js';

export const httpChecker = defineChecker({
  type: 'http',
  title: 'HTTP(S) request',
  configSchema: HttpConfigSchema,
  describeTarget: (config) => `${config.method ?? httpDefaults.method} ${config.url}`,
  async run(config, ctx) {
    const url = URL.canParse(config.url) ? new URL(config.url) : null;
    if (!url) return down(`invalid URL ${config.url}`);
    const mismatch = familyMismatch(url.hostname.replace(/^\[|\]$/g, ''), config.ipFamily);
    if (mismatch) return down(mismatch);
    if (config.basicAuth && config.bearerToken) return down('set either basicAuth or bearerToken, not both');

    const deadline = deadlineFor(ctx);
    const stopwatch = startStopwatch();
    const connections = new FreshConnections({
      ignoreTls: config.ignoreTls ?? httpDefaults.ignoreTls,
      family: lookupFamily(config.ipFamily),
      caPem: config.caPem,
    });
    try {
      const result = await sendRequest(connections, {
        url,
        method: config.method ?? httpDefaults.method,
        headers: requestHeaders(config),
        body: config.body,
        followRedirects: config.followRedirects ?? httpDefaults.followRedirects,
        maxRedirects: config.maxRedirects ?? httpDefaults.maxRedirects,
      }, deadline.signal, stopwatch);
      const totalMs = stopwatch.elapsedMs();
      const timings = { ...connections.timings, ...(result.kind === 'response' ? { firstByteMs: result.firstByteMs } : {}), totalMs };
      return { latencyMs: totalMs, timings, ...judge(config, result, connections.certificate, totalMs) };
    } catch (err) {
      return down(deadline.signal.aborted ? deadline.timedOutDetail : describeNetworkError(err));
    } finally {
      connections.destroy();
    }
  },
});

function judge(config: HttpConfig, result: RequestResult, certificate: PeerCertificate | undefined, totalMs: number): Pick<CheckOutcome, 'up' | 'detail'> {
  if (result.kind === 'too-many-redirects') return { up: false, detail: `too many redirects (more than ${result.redirects}), last to ${result.lastLocation}` };
  if (result.kind === 'bad-redirect') return { up: false, detail: `redirect to an invalid or non-HTTP URL: ${result.location}` };

  const accepted = config.accept ?? httpDefaults.accept;
  if (!isAcceptedStatus(result.status, accepted)) {
    const redirect = result.location !== undefined && result.status >= 300 && result.status < 400 ? ` (redirect to ${result.location})` : '';
    return { up: false, detail: `expected status ${describeAccepted(accepted)}, got ${result.status}${redirect}` };
  }
  const certExpiryDays = config.certExpiryDays ?? httpDefaults.certExpiryDays;
  if (certificate && certExpiryDays > 0) {
    const problem = certificateDateProblem(certificateFacts(certificate), certExpiryDays, new Date());
    if (problem) return { up: false, detail: problem };
  }
  if (config.maxResponseTimeMs !== undefined && totalMs > config.maxResponseTimeMs) {
    return { up: false, detail: `response took ${formatMs(totalMs)}, limit ${config.maxResponseTimeMs} ms` };
  }
  const bodyProblem = checkBody(config, result.bodyText, result.bodyTruncated);
  if (bodyProblem) return { up: false, detail: bodyProblem };
  const via = result.redirects > 0 ? ` after ${result.redirects} redirect${result.redirects === 1 ? '' : 's'}` : '';
  return { up: true, detail: `HTTP ${result.status} in ${formatMs(totalMs)}${via}` };
}

function checkBody(config: HttpConfig, text: string, truncated: boolean): string | null {
  if (config.keyword !== undefined && !text.includes(config.keyword)) return `keyword ${JSON.stringify(config.keyword)} not found`;
  if (config.keywordAbsent !== undefined && text.includes(config.keywordAbsent)) return `unwanted keyword ${JSON.stringify(config.keywordAbsent)} found`;
  if (config.json) return checkJsonAssertion(text, config.json, truncated);
  return null;
}

function requestHeaders(config: HttpConfig): Record<string, string> {
  // Lower-cased so a user's "User-Agent" or "Authorization" replaces ours instead of doubling it.
  const headers: Record<string, string> = { 'user-agent': 'Tocsin' };
  for (const [name, value] of Object.entries(config.headers ?? {})) headers[name.toLowerCase()] = value;
  if (config.basicAuth) {
    const credentials = Buffer.from(`${config.basicAuth.username}:${config.basicAuth.password}`).toString('base64');
    headers.authorization = `Basic ${credentials}`;
  }
  if (config.bearerToken) headers.authorization = `Bearer ${config.bearerToken}`;
  return headers;
}

function down(detail: string): CheckOutcome {
  return { up: false, latencyMs: null, detail };
}
