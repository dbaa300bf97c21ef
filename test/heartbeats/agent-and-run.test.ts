// The agent and the run wrapper against a running server: in-process for speed, plus one run of
// the real `tocsin run` command line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { runAgent } from '../../src/agent/agent.js';
import { runWrapped, type RunOptions } from '../../src/agent/run-wrapper.js';
import { closedPort } from '../../src/checks/test-support/local-ports.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { until } from '../../src/app/test-support/until.js';
import { createHeartbeat, createProject, serviceState } from './support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Retries quick enough for a test. */
const fastRetry = { retries: 5, firstDelayMs: 100, maxDelayMs: 400 };

function quietRun(options: Omit<RunOptions, 'log' | 'echo'>) {
  const logs: string[] = [];
  const out = new PassThrough();
  let echoed = '';
  out.on('data', (c: Buffer) => { echoed += c; });
  const status = runWrapped({ ...options, log: (l) => logs.push(l), echo: { stdout: out, stderr: out } });
  return { status, logs, echoed: () => echoed };
}

describe('agent and run wrapper', { concurrency: true }, () => {
  let server: TestServer;
  const localUrl = (pingUrl: string) => pingUrl.replace(server.running.ctx.settings.publicUrl, server.url);
  before(async () => {
    server = await startTestServer();
    await createProject(server);
  });
  after(async () => { await server.stop(); });

  it('agent checks in on schedule with host facts and stops when told', async () => {
    const hb = await createHeartbeat(server, 'host-a', { schedule: 'period', period: '1m' });
    const stop = new AbortController();
    const logs: string[] = [];
    const running = runAgent({ url: localUrl(hb.pingUrl), intervalMs: 1000, signal: stop.signal, log: (l) => logs.push(l) });
    try {
      await until('two agent check-ins', async () => (await server.request('GET', `/api/v1/services/${hb.id}/pings`)).body.items.length >= 2);
    } finally {
      stop.abort();
    }
    await running;
    assert.equal(logs.at(-1), 'tocsin agent: stopped');
    const pings = await server.request('GET', `/api/v1/services/${hb.id}/pings`);
    const facts = JSON.parse(pings.body.items[0].body);
    assert.equal(typeof facts.hostname, 'string');
    assert.equal(typeof facts.uptimeSeconds, 'number');
    assert.equal(facts.loadAverage.length, 3);
    assert.ok(facts.memory.totalBytes > 0);
    assert.ok(facts.disk.totalBytes > 0 && facts.disk.usedPercent >= 0);
    assert.equal(pings.body.items[0].userAgent, 'tocsin-agent');
    assert.equal(await serviceState(server, hb.id), 'up');
  });

  it('agent keeps running through network errors and says what fails', async () => {
    const port = await closedPort();
    const stop = new AbortController();
    const logs: string[] = [];
    const running = runAgent({ url: `http://127.0.0.1:${port}/ping/x`, intervalMs: 1000, signal: stop.signal, log: (l) => logs.push(l) });
    await until('two failure reports', () => logs.filter((l) => l.includes('check-in failed')).length >= 2);
    stop.abort();
    await running;
    assert.match(logs[1], /cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\); retrying in 1s/);
  });

  it('run signals start, then the exit status with the output tail and duration', async () => {
    const hb = await createHeartbeat(server, 'cron-job', { schedule: 'period', period: '1h' });
    const failing = quietRun({ url: localUrl(hb.pingUrl), command: 'sh', args: ['-c', 'echo hello; sleep 0.1; echo oops >&2; exit 3'] });
    assert.equal(await failing.status, 3);
    assert.equal(failing.echoed(), 'hello\noops\n');
    assert.equal(await serviceState(server, hb.id), 'down');
    let pings = (await server.request('GET', `/api/v1/services/${hb.id}/pings`)).body.items;
    assert.deepEqual(pings.map((p: { kind: string }) => p.kind), ['exit', 'start']);
    assert.equal(pings[0].exitStatus, 3);
    assert.equal(pings[0].body, 'hello\noops\n');
    assert.ok(pings[0].durationMs >= 100, `duration ${pings[0].durationMs}`);

    const tail = quietRun({ url: localUrl(hb.pingUrl), command: 'sh', args: ['-c', 'seq 1 1000'], tailBytes: 9 });
    assert.equal(await tail.status, 0);
    assert.equal(await serviceState(server, hb.id), 'up');
    pings = (await server.request('GET', `/api/v1/services/${hb.id}/pings?limit=1`)).body.items;
    assert.equal(pings[0].body, '999\n1000\n');

    const missing = quietRun({ url: localUrl(hb.pingUrl), command: 'no-such-command-here', args: [] });
    assert.equal(await missing.status, 127);
    pings = (await server.request('GET', `/api/v1/services/${hb.id}/pings?limit=1`)).body.items;
    assert.equal(pings[0].exitStatus, 127);
    assert.match(pings[0].body, /cannot start no-such-command-here/);
  });

  it('run works with a slug URL that creates the heartbeat on first use', async () => {
    const key = await server.request('POST', '/api/v1/namespaces/acme/projects/jobs/ping-key');
    const run = quietRun({ url: `${server.url}/ping/${key.body.pingKey}/nightly-report?create=1`, command: 'sh', args: ['-c', 'echo done'] });
    assert.equal(await run.status, 0, run.logs.join('\n'));
    const created = await server.request('GET', '/api/v1/namespaces/acme/projects/jobs/services/nightly-report');
    assert.equal(created.body.state, 'up');
    const pings = (await server.request('GET', `/api/v1/services/${created.body.id}/pings`)).body.items;
    assert.deepEqual(pings.map((p: { kind: string }) => p.kind), ['exit', 'start']);
  });

  it('run still runs the command when the server is unreachable', async () => {
    const port = await closedPort();
    const run = quietRun({ url: `http://127.0.0.1:${port}/ping/x`, command: 'sh', args: ['-c', 'exit 4'], retry: { ...fastRetry, retries: 1 } });
    assert.equal(await run.status, 4);
    assert.match(run.logs[0], /could not signal start: cannot reach .*ECONNREFUSED; trying again in 0.1s/);
    assert.match(run.logs[1], /could not signal start: cannot reach/);
    assert.equal(run.logs.length, 4, run.logs.join('\n')); // start and end: a retry and a final failure each
  });

  it('run sends a signal again while the server restarts, so no check-in is lost', async () => {
    const hb = await createHeartbeat(server, 'restart-job', { schedule: 'period', period: '1h' });
    const proxy = await startTcpProxy(Number(new URL(server.url).port));
    try {
      proxy.down(); // every connection reset, as while Tocsin restarts behind a proxy
      const url = localUrl(hb.pingUrl).replace(server.url, `http://127.0.0.1:${proxy.port}`);
      setTimeout(() => proxy.up(), 250);
      const run = quietRun({ url, command: 'sh', args: ['-c', 'exit 0'], retry: fastRetry });
      assert.equal(await run.status, 0);
      assert.ok(run.logs.length >= 1 && run.logs.every((l) => l.includes('trying again')), run.logs.join('\n'));
      const pings = (await server.request('GET', `/api/v1/services/${hb.id}/pings`)).body.items;
      assert.deepEqual(pings.map((p: { kind: string }) => p.kind), ['exit', 'start']);
      assert.equal(await serviceState(server, hb.id), 'up');
    } finally {
      await proxy.close();
    }
  });

  it('run does not repeat a signal the server refused (4xx), and waits as Retry-After asks, within bounds', async () => {
    const refused = quietRun({ url: `${server.url}/ping/00000000-0000-4000-8000-000000000000`, command: 'true', args: [], retry: fastRetry });
    assert.equal(await refused.status, 0);
    assert.equal(refused.logs.length, 2, refused.logs.join('\n'));
    assert.match(refused.logs[0], /could not signal start: server answered 404/);

    let calls = 0;
    const busy = createServer((_req, res) => {
      calls += 1;
      if (calls % 2 === 1) res.writeHead(503, { 'retry-after': calls === 1 ? '1' : '3600' }).end('busy');
      else res.writeHead(200).end('OK');
    }).listen(0, '127.0.0.1');
    await once(busy, 'listening');
    try {
      const started = Date.now();
      const run = quietRun({ url: `http://127.0.0.1:${(busy.address() as { port: number }).port}/ping/x`, command: 'true', args: [], retry: { ...fastRetry, maxDelayMs: 1500 } });
      assert.equal(await run.status, 0);
      const took = Date.now() - started;
      assert.equal(calls, 4);
      assert.match(run.logs[0], /server answered 503: busy; trying again in 1s/, 'Retry-After: 1 followed');
      assert.match(run.logs[1], /trying again in 1.5s/, 'Retry-After: 3600 capped at the policy\'s longest wait');
      assert.ok(took >= 2400 && took < 6000, `took ${took} ms`);
    } finally {
      busy.close();
    }
  });

  it('the `tocsin agent` command line refuses an interval beyond a day', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'agent', '--url', 'http://127.0.0.1:9/ping/x', '--interval', '30d'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err += c; });
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    assert.equal(err, 'tocsin: --interval must be a duration from 1s to 24h, e.g. "60s"\n', 'the message alone, no stack trace');
  });

  for (const [option, value, message] of [
    ['--retries', '99', '--retries must be a whole number from 0 to 10'],
    ['--tail', '1e15', '--tail must be a number of bytes from 0 to 16777216'],
  ]) {
    it(`the \`tocsin run\` command line refuses ${option} ${value}`, { timeout: 30_000 }, async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'run', '--url', 'http://127.0.0.1:9/ping/x', option, value, '--', 'true'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (c: Buffer) => { err += c; });
      const [code] = await once(child, 'exit');
      assert.equal(code, 1);
      assert.equal(err, `tocsin: ${message}\n`);
    });
  }

  it('the `tocsin run` command line exits with the command\'s status', { timeout: 30_000 }, async () => {
    const hb = await createHeartbeat(server, 'cli-job', { schedule: 'period', period: '1h' });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'run', '--url', localUrl(hb.pingUrl), '--', 'sh', '-c', 'echo from-cli; exit 5'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c; });
    const [code] = await once(child, 'exit');
    assert.equal(code, 5);
    assert.equal(out, 'from-cli\n');
    const pings = (await server.request('GET', `/api/v1/services/${hb.id}/pings?limit=1`)).body.items;
    assert.equal(pings[0].exitStatus, 5);
  });
});
