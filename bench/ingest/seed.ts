// Creates a fresh database with 1,000 heartbeat services, each with a known ping token.
import { randomUUID } from 'node:crypto';
import { buildContext } from '../../src/app/build-context.js';
import { systemActor } from '../../src/auth/actor.js';
import { readSettings } from '../../src/config/settings.js';
import { HeartbeatRepository } from '../../src/heartbeats/heartbeat-repository.js';
import { silentLogger } from '../../src/logger.js';
import type { DialectName } from '../../src/store/database-url.js';
import { createTestStore } from '../../src/store/test-support/databases.js';

export interface SeededDatabase {
  url: string;
  tokens: string[];
  countPings(): Promise<number>;
  drop(): Promise<void>;
}

export async function seedDatabase(dialect: DialectName, services: number): Promise<SeededDatabase> {
  const db = await createTestStore(dialect);
  const ctx = buildContext(readSettings({ DATABASE_URL: db.url }), db.store, silentLogger());
  const actor = systemActor('bench');
  const ns = await ctx.namespaces.create(actor, { slug: 'bench', name: 'Bench' });
  const project = await ctx.projects.create(actor, ns.id, { slug: 'ingest', name: 'Ingest' });
  const repo = new HeartbeatRepository(ctx.data.db, ctx.data.dialect);
  const tokens: string[] = [];
  for (let i = 0; i < services; i++) {
    const service = await ctx.services.create(actor, project.id, { slug: `hb-${i}`, name: `hb ${i}`, type: 'heartbeat', config: { schedule: 'period', period: '1h' } });
    const token = randomUUID();
    await repo.setPingToken(service.id, token);
    tokens.push(token);
  }
  return { url: db.url, tokens, countPings: () => repo.countPings(), drop: () => db.drop() };
}
