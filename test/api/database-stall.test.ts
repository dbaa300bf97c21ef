// The database stalls rather than refusing (a network partition, a server frozen on I/O): its
// connections stay open and nothing comes back. Check-ins must not hang with it: past
// TOCSIN_CHECKIN_TIMEOUT they get 503 with Retry-After, those never written say so; other requests
// get 503 past TOCSIN_REQUEST_TIMEOUT, and /readyz within its own 2 s. When the stall ends
// everything serves again. The stall is made by a
// TCP proxy that stops carrying bytes between Tocsin and the shared test server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { until } from '../../src/app/test-support/until.js';
import type { DialectName } from '../../src/store/database-url.js';
import { skipReason } from '../../src/store/test-support/databases.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';
import { proxiedDatabase } from '../support/proxied-database.js';

const timeoutMs = 2000;
/** Shorter than the check-in timeout: check-ins must keep their own. */
const requestTimeoutMs = 1000;
const admin = { email: 'root@example.com', password: 'a long password' };

async function timed(request: Promise<Response>): Promise<{ status: number; ms: number; retryAfter: string | null; message: string }> {
  const started = Date.now();
  const res = await request;
  const text = await res.text();
  const message = res.status === 503 ? (JSON.parse(text) as { error?: { message: string }; message?: string }) : {};
  return { status: res.status, ms: Date.now() - started, retryAfter: res.headers.get('retry-after'), message: message.error?.message ?? message.message ?? text };
}

for (const dialect of ['postgres', 'mysql'] as DialectName[]) {
  describe(`while the database stalls [${dialect}]`, { skip: skipReason(dialect), timeout: 90_000 }, () => {
    it('answers check-ins 503 past the check-in timeout, the API past the request timeout, /readyz within 2 s, and serves again after', async () => {
      const database = await proxiedDatabase(dialect, 5);
      const { seeded, proxy } = database;
      let server: ServerProcess | undefined;
      try {
        server = await spawnServer({
          DATABASE_URL: database.url, TOCSIN_CHECKIN_TIMEOUT: `${timeoutMs / 1000}s`, TOCSIN_REQUEST_TIMEOUT: `${requestTimeoutMs / 1000}s`,
          TOCSIN_ADMIN_EMAIL: admin.email, TOCSIN_ADMIN_PASSWORD: admin.password,
        });
        const url = server.url;
        const ping = (n: number) => fetch(`${url}/ping/${seeded.tokens[n % seeded.tokens.length]}`, { method: 'POST', body: `run ${n}` });
        assert.equal((await ping(0)).status, 200);
        let acknowledged = 1;

        proxy.stall();
        // Five services, four check-ins each: the first of each goes into a batch that is being
        // written when the database stops answering; the others wait behind it in the queue.
        const login = () => fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
        const [readiness, api, ...checkIns] = await Promise.all([
          timed(fetch(`${url}/readyz`)), timed(login()), ...Array.from({ length: 20 }, (_, n) => timed(ping(n))),
        ]);
        assert.equal(api.status, 503, api.message);
        assert.equal(api.retryAfter, '5');
        assert.match(api.message, /no answer within 1 s \(the database may be stalled\)/);
        assert.ok(api.ms >= requestTimeoutMs - 100 && api.ms < requestTimeoutMs + 2_000, `the API answered after ${api.ms} ms`);
        assert.equal(readiness.status, 503);
        assert.match(readiness.message, /did not answer within 2 s/);
        assert.ok(readiness.ms < 4_000, `/readyz answered in ${readiness.ms} ms`);
        let mayBeStored = 0;
        for (const answer of checkIns) {
          assert.equal(answer.status, 503, answer.message);
          assert.equal(answer.retryAfter, '5');
          assert.ok(answer.ms >= timeoutMs - 100 && answer.ms < timeoutMs + 3_000, `answered after ${answer.ms} ms`);
          assert.match(answer.message, /did not (answer|confirm the check-in) within 2 s/);
          if (answer.message.includes('may still be stored')) mayBeStored += 1;
          else assert.match(answer.message, /was not stored/);
        }
        assert.ok(mayBeStored < checkIns.length, 'check-ins queued behind the stuck batch were never written');
        // The log reaches this process through a pipe, possibly after the answers.
        const reported = () => server!.logs.filter((line) => line.includes('did not answer check-ins in time')).length;
        await until('the log line for the check-ins that timed out', () => reported() >= 1);
        assert.ok(reported() <= 2, `${reported()} log lines`);

        proxy.up();
        const after = await timed(ping(100));
        assert.equal(after.status, 200, after.message);
        acknowledged += 1;
        assert.equal((await fetch(`${url}/readyz`)).status, 200);
        assert.equal((await login()).status, 200);
        assert.equal(server.child.exitCode, null, 'the server ran through the stall');
        const stored = await seeded.countPings();
        assert.ok(stored >= acknowledged && stored <= acknowledged + mayBeStored,
          `${stored} stored for ${acknowledged} acknowledged and ${mayBeStored} that may have been`);
      } finally {
        proxy.up();
        await server?.kill('SIGTERM');
        await database.close();
      }
    });
  });
}
