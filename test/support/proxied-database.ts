// A seeded test database (bench/ingest/seed.ts) reached through a TCP proxy (tcp-proxy.ts), for
// tests that make the database go away, stall or come up late without touching the shared server.
import { seedDatabase, type SeededDatabase } from '../../bench/ingest/seed.js';
import type { DialectName } from '../../src/store/database-url.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

export interface ProxiedDatabase {
  seeded: SeededDatabase;
  proxy: TcpProxy;
  /** DATABASE_URL through the proxy. */
  url: string;
  /** Lets traffic through again, closes the proxy, drops the database. */
  close(): Promise<void>;
}

export async function proxiedDatabase(dialect: DialectName, services: number): Promise<ProxiedDatabase> {
  const seeded = await seedDatabase(dialect, services);
  const proxy = await startTcpProxy(Number(new URL(seeded.url).port));
  const throughProxy = new URL(seeded.url);
  throughProxy.port = String(proxy.port);
  return {
    seeded, proxy, url: throughProxy.href,
    async close() {
      proxy.up();
      await proxy.close();
      await seeded.drop();
    },
  };
}
