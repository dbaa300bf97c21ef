// Check-in bodies are kept as the log whatever bytes they hold, on every database. PostgreSQL's
// text cannot hold a NUL byte: such a body used to fail its insert, so the check-in answered 503
// on every retry. The first check-in takes the main path, the next ones the steady path.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DialectName } from '../../src/store/database-url.js';
import { skipReason } from '../../src/store/test-support/databases.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { checkIn, createHeartbeat, createProject, type Heartbeat } from './support.js';

for (const dialect of ['sqlite', 'postgres', 'mysql'] satisfies DialectName[]) {
  describe(`check-in bodies on ${dialect}`, { skip: skipReason(dialect) }, () => {
    let server: TestServer;
    let hb: Heartbeat;
    before(async () => {
      server = await startTestServer({ dialect });
      await createProject(server);
      hb = await createHeartbeat(server, 'bodies', { schedule: 'period', period: '1h' });
    });
    after(async () => { await server.stop(); });

    it('stores a body with NUL bytes and any other character, replacing only the NULs', async () => {
      const bodies = ['binary\0output\0', 'quotes " \\ {a,b} NULL', 'ünïcødé 🚀\n\0'];
      for (const body of bodies) {
        const res = await checkIn(server, `/ping/${hb.token}`, { method: 'POST', body });
        assert.equal(res.status, 200, res.text);
      }
      const pings = await server.request('GET', `/api/v1/services/${hb.id}/pings?limit=3`);
      assert.deepEqual(pings.body.items.map((p: { body: string }) => p.body).reverse(), bodies.map((b) => b.replaceAll('\0', '\uFFFD')));
    });

    it('stores an Uptime Kuma push message with NUL bytes', async () => {
      const res = await checkIn(server, `/api/push/${hb.token}?status=up&msg=${encodeURIComponent('all\0fine')}`);
      assert.equal(res.status, 200, res.text);
      const service = await server.request('GET', `/api/v1/services/${hb.id}`);
      assert.equal(service.body.lastDetail, 'all\uFFFDfine');
    });
  });
}
