import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { once } from 'node:events';
import { checkContext, close, closedPort, listen } from '../shared/test-support/servers.js';
import { tcpChecker } from './tcp-checker.js';

// A loopback port whose connections hang: a child process listens with a backlog of 1 and is
// then stopped (SIGSTOP), so it never accepts; once a couple of connections fill the accept
// queue, the kernel drops further SYNs and connecting just waits. No traffic leaves loopback.
async function startBlackholePort(): Promise<{ port: number; stop(): void }> {
  const child: ChildProcess = spawn(process.execPath, ['-e', `
    require('node:net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () {
      process.stdout.write(String(this.address().port) + '\\n');
    });`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(child.stdout!, 'data');
  const port = Number(String(line).trim());
  child.kill('SIGSTOP');
  const fillers: Socket[] = [];
  for (let i = 0; i < 8; i++) {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    fillers.push(socket);
    const connected = await Promise.race([once(socket, 'connect').then(() => true), new Promise((r) => setTimeout(r, 100, false))]);
    if (!connected) break;
  }
  return {
    port,
    stop() {
      for (const socket of fillers) socket.destroy();
      child.kill('SIGKILL');
    },
  };
}

describe('tcp checker', () => {
  let server: Server;
  let port: number;
  before(async () => {
    server = createServer((socket) => socket.end());
    port = await listen(server);
  });
  after(() => close(server));

  it('is up when the port accepts connections', async () => {
    const outcome = await tcpChecker.run({ host: '127.0.0.1', port }, checkContext());
    assert.equal(outcome.up, true);
    assert.match(outcome.detail, /^connected to 127\.0\.0\.1:\d+ in [\d.]+ ms$/);
    assert.ok(outcome.latencyMs !== null && outcome.latencyMs >= 0);
  });

  it('resolves host names', async () => {
    assert.equal((await tcpChecker.run({ host: 'localhost', port }, checkContext())).up, true);
  });

  it('reports connection refused', async () => {
    const outcome = await tcpChecker.run({ host: '127.0.0.1', port: await closedPort() }, checkContext());
    assert.deepEqual(outcome, { up: false, latencyMs: null, detail: 'connection refused' });
  });

  it('connects over IPv6 and rejects a literal of the wrong family', async () => {
    const v6 = createServer((socket) => socket.end());
    const v6Port = await listen(v6, '::1');
    try {
      const outcome = await tcpChecker.run({ host: '::1', port: v6Port, ipFamily: 6 }, checkContext());
      assert.match(outcome.detail, /^connected to \[::1\]:\d+/);
      const wrong = await tcpChecker.run({ host: '::1', port: v6Port, ipFamily: 4 }, checkContext());
      assert.equal(wrong.detail, 'ipFamily is 4 but ::1 is an IPv6 address');
    } finally {
      await close(v6);
    }
  });

  it('times out when connecting hangs', async () => {
    const blackhole = await startBlackholePort();
    try {
      const started = Date.now();
      const outcome = await tcpChecker.run({ host: '127.0.0.1', port: blackhole.port }, checkContext(300));
      assert.deepEqual(outcome, { up: false, latencyMs: null, detail: 'timed out after 300 ms' });
      assert.ok(Date.now() - started < 1000);
    } finally {
      blackhole.stop();
    }
  });
});
