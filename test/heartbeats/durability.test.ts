// A 2xx check-in answer means committed: kill -9 the server right after a 2xx, restart it on the
// same database, and every acknowledged check-in is there.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildContext } from '../../src/app/build-context.js';
import { systemActor } from '../../src/auth/actor.js';
import { readSettings } from '../../src/config/settings.js';
import { HeartbeatRepository } from '../../src/heartbeats/heartbeat-repository.js';
import { silentLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/connect.js';
import { parseDatabaseUrl } from '../../src/store/database-url.js';
import type { DialectName } from '../../src/store/database-url.js';
import { createTestStore, skipReason } from '../../src/store/test-support/databases.js';
import { spawnServer } from '../support/server-process.js';

async function seedHeartbeat(url: string): Promise<string> {
  const store = openStore(parseDatabaseUrl(url));
  try {
    const ctx = buildContext(readSettings({ DATABASE_URL: url }), store, silentLogger());
    const actor = systemActor('test');
    const ns = await ctx.namespaces.create(actor, { slug: 'acme', name: 'Acme' });
    const project = await ctx.projects.create(actor, ns.id, { slug: 'jobs', name: 'Jobs' });
    const service = await ctx.services.create(actor, project.id, { name: 'durable', type: 'heartbeat', config: { schedule: 'period', period: '1h' } });
    await new HeartbeatRepository(ctx.data.db, ctx.data.dialect).setPingToken(service.id, 'durable-token');
    return service.id;
  } finally {
    await store.close();
  }
}

async function countPings(url: string, serviceId: string): Promise<number> {
  const store = openStore(parseDatabaseUrl(url));
  try {
    return await new HeartbeatRepository(store.db, store.dialect).countPings(serviceId);
  } finally {
    await store.close();
  }
}

for (const dialect of ['sqlite', 'postgres'] as DialectName[]) {
  describe(`check-in durability across kill -9 [${dialect}]`, { skip: skipReason(dialect), timeout: 60_000 }, () => {
    it('every check-in answered 2xx before SIGKILL is in the database after restart', async () => {
      const db = await createTestStore(dialect);
      await db.store.close();
      try {
        const serviceId = await seedHeartbeat(db.url);
        const server = await spawnServer({ DATABASE_URL: db.url });
        let acknowledged = 0;
        let killed = false;
        const sender = async () => {
          while (!killed) {
            try {
              const res = await fetch(`${server.url}/ping/durable-token`, { method: 'POST', body: `check-in ${acknowledged}` });
              await res.arrayBuffer();
              if (res.status === 200) acknowledged += 1;
              if (acknowledged >= 300 && !killed) {
                killed = true;
                server.child.kill('SIGKILL'); // right after a 2xx, while other check-ins are in flight
              }
            } catch {
              return; // the server is gone
            }
          }
        };
        await Promise.all(Array.from({ length: 16 }, sender));
        assert.equal(await server.exited, null, 'killed by a signal');
        const restarted = await spawnServer({ DATABASE_URL: db.url });
        try {
          const stored = await countPings(db.url, serviceId);
          assert.ok(stored >= acknowledged, `${acknowledged} check-ins acknowledged, ${stored} stored`);
        } finally {
          await restarted.kill('SIGTERM');
        }
      } finally {
        await db.drop();
      }
    });
  });
}
