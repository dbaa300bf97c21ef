// npm run bench:statuspage — requests/s and p99 latency of a status page with 100 services served
// by Tocsin, beside a bare node:http server answering the very same bytes, in the same run.
// autocannon runs in its own process so it does not share the event loop with the servers.
// Options: BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 50), BENCH_DIALECT (sqlite).
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '../../src/app/serve.js';
import { readSettings } from '../../src/config/settings.js';
import { silentLogger } from '../../src/logger.js';
import type { DialectName } from '../../src/store/database-url.js';
import { createTestStore } from '../../src/store/test-support/databases.js';
import { statusPagesFeature } from '../../src/status-pages/status-pages-feature.js';
import { seedDemoPage } from '../../src/status-pages/test-support/demo-page.js';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const dialect = (process.env.BENCH_DIALECT ?? 'sqlite') as DialectName;

interface Result { requestsPerSecond: number; p99Ms: number; p50Ms: number; bytesPerSecond: number; errors: number; non2xx: number }

function autocannon(url: string, headers: Record<string, string> = {}): Promise<Result> {
  const args = ['-c', String(connections), '-d', String(duration), '-j', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), url];
  return new Promise((resolve, reject) => {
    const child = spawn('node_modules/.bin/autocannon', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const r = JSON.parse(out);
      resolve({ requestsPerSecond: r.requests.average, p99Ms: r.latency.p99, p50Ms: r.latency.p50, bytesPerSecond: r.throughput.average, errors: r.errors, non2xx: r.non2xx });
    });
  });
}

/** The page as a browser gets it: gzip-encoded bytes, read without decoding. */
function gzipBody(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
    }).on('error', reject);
  });
}

async function main(): Promise<void> {
  const db = await createTestStore(dialect, { migrate: false });
  await db.store.close();
  const settings = readSettings({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', LOG_FORMAT: 'json' });
  const tocsin = await serve(settings, silentLogger(), [statusPagesFeature()]);
  await seedDemoPage(tocsin.ctx, { slug: 'bench', extraServices: 95 });
  await new Promise((r) => setTimeout(r, 1000)); // let the post-commit cache clearing of the seed pass
  const pageUrl = `${tocsin.url}/status/bench`;
  const first = await fetch(pageUrl);
  const bytes = Buffer.from(await first.arrayBuffer());
  const services = (bytes.toString().match(/data-service-id=/g) ?? []).length;

  const gzipped = await gzipBody(pageUrl);
  const bare = http.createServer((req, res) => {
    const gzip = /gzip/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? gzipped : bytes;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length, ...(gzip && { 'content-encoding': 'gzip' }) });
    res.end(body);
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;

  console.log(`status page: ${services} services, ${bytes.length} bytes (${dialect}); ${connections} connections, ${duration} s each`);
  const rows: [string, Result][] = [];
  rows.push(['bare node:http, same bytes', await autocannon(bareUrl)]);
  rows.push(['Tocsin /status/<slug>', await autocannon(pageUrl)]);
  rows.push(['bare node:http, same gzip bytes', await autocannon(bareUrl, { 'accept-encoding': 'gzip' })]);
  rows.push(['Tocsin, gzip accepted', await autocannon(pageUrl, { 'accept-encoding': 'gzip' })]);
  rows.push(['Tocsin, If-None-Match (304)', await autocannon(pageUrl, { 'if-none-match': first.headers.get('etag')! })]);
  console.log('| server | req/s | p50 ms | p99 ms | MB/s | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, r] of rows) {
    console.log(`| ${name} | ${Math.round(r.requestsPerSecond)} | ${r.p50Ms} | ${r.p99Ms} | ${(r.bytesPerSecond / 1e6).toFixed(1)} | ${r.errors} |`);
  }
  const ratio = rows[1][1].requestsPerSecond / rows[0][1].requestsPerSecond;
  const gzipRatio = rows[3][1].requestsPerSecond / rows[2][1].requestsPerSecond;
  console.log(`Tocsin / bare: ${(ratio * 100).toFixed(0)}% of the bare server's rate, ${(gzipRatio * 100).toFixed(0)}% with gzip (target: at least 50%)`);

  bare.close();
  await tocsin.stop();
  await db.drop();
}

await main();
