// Numbers beyond what a database column can hold get a 400 on every database. Found by fuzzing:
// `?offset=1e309`, `?from=99999999999999999999`, an API key's `expiresAt` of 1e20 and a heartbeat
// period of 1e20 seconds each reached the database and failed there with a 500 (SQLite refuses a
// float OFFSET, PostgreSQL a bigint beyond 2^63). A channel's flapping window of 1e20 seconds was
// worse: it was stored, and then every check-in of the services routed to it failed on PostgreSQL.
// A maintenance window starting at 1e20 ms was a 500 on PostgreSQL and MariaDB, and stored on SQLite;
// a page cursor crafted to hold 1e20 was a 500 on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DialectName } from '../../src/store/database-url.js';
import { skipReason } from '../../src/store/test-support/databases.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const hugeNumbers = ['99999999999999999999', '1e309', '9007199254740992'];

/** GET routes and the names of their integer query parameters, from the OpenAPI document. */
function integerQueries(doc: any): { path: string; names: string[] }[] {
  const out: { path: string; names: string[] }[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    const names = (item.get?.parameters ?? [])
      .filter((p: any) => p.in === 'query' && p.schema?.type === 'integer')
      .map((p: any) => p.name as string);
    if (names.length > 0) out.push({ path, names });
  }
  return out;
}

for (const dialect of ['sqlite', 'postgres', 'mysql'] satisfies DialectName[]) {
  describe(`numbers too large for the database on ${dialect}`, { skip: skipReason(dialect) }, () => {
    let server: TestServer;
    let serviceId: string;
    before(async () => {
      server = await startTestServer({ dialect });
      await server.request('POST', '/api/v1/namespaces', { body: { slug: 'keep', name: 'Keep' } });
      await server.request('POST', '/api/v1/namespaces/keep/projects', { body: { slug: 'p', name: 'P' } });
      const hb = await server.request('POST', '/api/v1/namespaces/keep/projects/p/services', {
        body: { slug: 'hb', name: 'HB', type: 'heartbeat', config: { schedule: 'period', period: '1h' } },
      });
      assert.equal(hb.status, 201, hb.text);
      serviceId = hb.body.id;
    });
    after(async () => { await server.stop(); });

    it('answers 400 to a huge integer in any query string', async () => {
      const routes = integerQueries((await server.request('GET', '/api/v1/openapi.json', { key: null })).body);
      assert.ok(routes.some((r) => r.names.includes('offset')) && routes.some((r) => r.names.includes('from')), 'offset and from are documented');
      for (const { path, names } of routes) {
        const url = path.replace(/\{(namespace|ns)\}/g, 'keep').replace('{project}', 'p').replace('{service}', 'hb').replace('{id}', serviceId);
        for (const name of names) {
          for (const value of hugeNumbers) {
            const res = await server.request('GET', `${url}?${name}=${value}`);
            assert.ok(res.status === 400 || res.status === 404, `${url}?${name}=${value}: ${res.status} ${res.text.slice(0, 200)}`);
            assert.equal(typeof res.body.error.message, 'string');
          }
        }
      }
    });

    it('answers 400 to a page cursor that holds a huge number', async () => {
      const channel = await server.request('POST', '/api/v1/namespaces/keep/channels', { body: { name: 'hook', type: 'webhook', config: { url: 'http://127.0.0.1:9/' } } });
      assert.equal(channel.status, 201, channel.text);
      const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      for (const path of [`/api/v1/services/${serviceId}/results`, `/api/v1/services/${serviceId}/events`, `/api/v1/channels/${channel.body.id}/deliveries`]) {
        for (const value of [1e20, -1e300, 2 ** 53]) {
          const res = await server.request('GET', `${path}?cursor=${cursor(value)}`);
          assert.equal(res.status, 400, `${path} cursor ${value}: ${res.text}`);
        }
      }
      for (const value of [{ at: 1e20, id: 'x' }, { at: 1, id: 'x'.repeat(65) }]) {
        const res = await server.request('GET', `/api/v1/incidents?cursor=${cursor(value)}`);
        assert.equal(res.status, 400, `incidents cursor ${JSON.stringify(value)}: ${res.text}`);
      }
    });

    it('answers 400 to a heartbeat duration over 365 days, and keeps the service as it was', async () => {
      for (const config of [
        { schedule: 'period', period: 1e20 },
        { schedule: 'period', period: '1h', grace: '366 days' },
        { schedule: 'missme', every: 'days 400', threshold: 2 },
        { schedule: 'cron', cron: '0 3 * * *', maxRunTime: 1e300 },
      ]) {
        const created = await server.request('POST', '/api/v1/namespaces/keep/projects/p/services', { body: { slug: 'big', name: 'Big', type: 'heartbeat', config } });
        assert.equal(created.status, 400, `${JSON.stringify(config)}: ${created.text}`);
        assert.match(created.body.error.message, /must be at most 365 days/);
        const patched = await server.request('PATCH', `/api/v1/services/${serviceId}`, { body: { config } });
        assert.equal(patched.status, 400, `${JSON.stringify(config)}: ${patched.text}`);
      }
      const longest = await server.request('POST', '/api/v1/namespaces/keep/projects/p/services', {
        body: { slug: 'yearly', name: 'Yearly', type: 'heartbeat', config: { schedule: 'period', period: '365 days', grace: '365d' } },
      });
      assert.equal(longest.status, 201, longest.text);
      const kept = await server.request('GET', `/api/v1/services/${serviceId}`);
      assert.equal(kept.body.config.period, '1h');
    });

    it('answers 400 to a channel reminder interval or flapping window over 365 days', async () => {
      for (const policy of [{ reminderInterval: 1e20 }, { flapping: { changes: 3, window: '366d' } }, { flapping: { changes: 3, window: 1e300 } }]) {
        const res = await server.request('POST', '/api/v1/namespaces/keep/channels', { body: { name: 'big', type: 'webhook', config: { url: 'http://127.0.0.1:9/' }, ...policy } });
        assert.equal(res.status, 400, `${JSON.stringify(policy)}: ${res.text}`);
        assert.match(res.body.error.message, /to 365 days/);
      }
    });

    it('answers 400 to a maintenance window beyond the year 9999', async () => {
      for (const times of [{ startsAt: 1e20, endsAt: 1e21 }, { startsAt: 0, endsAt: 1e20 }, { startsAt: '2026-01-01T00:00:00Z', endsAt: '+275760-09-13T00:00:00Z' }]) {
        const res = await server.request('POST', '/api/v1/maintenance-windows', { body: { title: 'far', target: 'keep', ...times } });
        assert.equal(res.status, 400, `${JSON.stringify(times)}: ${res.text}`);
      }
      const last = await server.request('POST', '/api/v1/maintenance-windows', { body: { title: 'late', target: 'keep', startsAt: '9999-12-31T00:00:00Z', endsAt: '9999-12-31T23:59:59Z' } });
      assert.equal(last.status, 201, last.text);
    });

    it('answers 400 to an API key expiry beyond any date', async () => {
      for (const expiresAt of [1e20, 1e300]) {
        const res = await server.request('POST', '/api/v1/api-keys', { body: { name: 'k', scope: 'read', expiresAt } });
        assert.equal(res.status, 400, `${expiresAt}: ${res.text}`);
      }
    });
  });
}
