// The database goes away (a crash, a failover, a network cut) and comes back: Tocsin keeps
// running, answers 503 with Retry-After at once (check-ins, the API, /readyz), never 500 and never
// a hang, writes a few log lines rather than one per request or per background pass, keeps showing status pages as last
// built, and serves again as soon as the database is back, with every acknowledged check-in stored. The outage is made by a TCP proxy
// between Tocsin and the shared test server, which itself stays up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { until } from '../../src/app/test-support/until.js';
import type { DialectName } from '../../src/store/database-url.js';
import { skipReason } from '../../src/store/test-support/databases.js';
import { spawnServer } from '../support/server-process.js';
import { proxiedDatabase } from '../support/proxied-database.js';

const admin = { email: 'root@example.com', password: 'a long password' };

function countByMessage(lines: string[], level: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    if (!line.includes(`"level":${level}`)) continue;
    const { msg } = JSON.parse(line) as { msg: string };
    counts.set(msg, (counts.get(msg) ?? 0) + 1);
  }
  return counts;
}

for (const dialect of ['postgres', 'mysql'] as DialectName[]) {
  describe(`while the database is unreachable [${dialect}]`, { skip: skipReason(dialect), timeout: 90_000 }, () => {
    it('answers 503 at once, logs a few lines, keeps status pages up, and serves again when it is back', async () => {
      const database = await proxiedDatabase(dialect, 5);
      const { seeded, proxy } = database;
      const server = await spawnServer({ DATABASE_URL: database.url, TOCSIN_ADMIN_EMAIL: admin.email, TOCSIN_ADMIN_PASSWORD: admin.password });
      const ping = (n = 0) => fetch(`${server.url}/ping/${seeded.tokens[n % seeded.tokens.length]}`, { method: 'POST', body: `run ${n}` });
      try {
        const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
        assert.equal(login.status, 200, await login.text());
        const cookie = login.headers.get('set-cookie')!.split(';')[0];
        const namespaces = () => fetch(`${server.url}/api/v1/namespaces`, { headers: { cookie } });
        let acknowledged = 0;
        assert.equal((await ping()).status, 200);
        acknowledged += 1;
        assert.equal((await namespaces()).status, 200);
        const page = await fetch(`${server.url}/api/v1/namespaces/bench/status-pages`, {
          method: 'POST', headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ slug: 'bench', title: 'Bench', groups: [{ name: 'Jobs', project: 'ingest' }] }),
        });
        assert.equal(page.status, 201, await page.text());
        const statusPage = () => fetch(`${server.url}/status/bench`);
        // The first check-in's state change clears the cache again 250 ms after its commit, and a
        // build that races that is handed out but not kept: build the page after it.
        await new Promise((r) => setTimeout(r, 400));
        await statusPage();
        const shown = await (await statusPage()).text();
        const shownAt = Date.now();

        proxy.down();
        const started = Date.now();
        const burst = await Promise.all(Array.from({ length: 200 }, (_, n) => ping(n)));
        const took = Date.now() - started;
        for (const res of burst) {
          const text = await res.text();
          assert.equal(res.status, 503, text);
          assert.equal(res.headers.get('retry-after'), '5');
          const body = JSON.parse(text) as { error: { code: string; message: string } };
          assert.equal(body.error.code, 'unavailable');
          assert.match(body.error.message, /database is unavailable/);
        }
        assert.ok(took < 10_000, `200 check-ins answered in ${took} ms`);
        const api = await namespaces();
        assert.equal(api.status, 503, 'the API says 503, not 500');
        assert.equal(api.headers.get('retry-after'), '5');
        assert.equal((await fetch(`${server.url}/readyz`)).status, 503);
        // Past the cache's 5 s of trust, the page would be checked against the database.
        await new Promise((r) => setTimeout(r, Math.max(0, shownAt + 5_200 - Date.now())));
        const stale = await statusPage();
        assert.equal(stale.status, 200, `the status page stays up, as last built; the server's last lines:\n${server.logs.slice(-3).join('\n')}`);
        assert.equal(await stale.text(), shown);
        const checkInLogs = server.logs.filter((line) => line.includes('the database cannot take check-ins'));
        assert.ok(checkInLogs.length >= 1 && checkInLogs.length <= 3, `${checkInLogs.length} log lines for the failed check-ins`);
        assert.equal(server.logs.filter((line) => line.includes('"level":50') && line.includes('check-in not written')).length, 0,
          'no line per check-in');
        // Background jobs (the sweeper 4 times a second, the inbox mover, the dispatcher, the
        // scheduler's polls…) each say once that they fail, not once per try.
        const errors = countByMessage(server.logs, 50);
        assert.ok(errors.get('heartbeat deadline sweep failed; will retry'), 'the sweeper says it fails');
        assert.ok(errors.get('moving new check-ins into their history failed; will retry'), 'the inbox mover says it fails');
        for (const [msg, count] of errors) assert.ok(count <= 2, `${count} lines "${msg}" in ${Date.now() - started} ms`);

        proxy.up();
        await until('a check-in to succeed again', async () => (await ping()).status === 200, 15_000, 100);
        acknowledged += 1;
        assert.equal((await namespaces()).status, 200);
        assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
        assert.equal(server.child.exitCode, null, 'the server ran through the outage');
        // …and once that they work again, so the log shows when the outage ended.
        await until('the inbox mover to work again', () => countByMessage(server.logs, 30).has('moving new check-ins into their history works again'));
        await until('the sweeper to work again', () => countByMessage(server.logs, 30).has('heartbeat deadline sweep works again'));
        assert.ok(await seeded.countPings() >= acknowledged);
      } finally {
        await server.kill('SIGTERM');
        await database.close();
      }
    });
  });
}
