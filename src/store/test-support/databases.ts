// Runs a suite once per database: SQLite always, PostgreSQL and MariaDB/MySQL when their servers
// answer. Each suite gets a fresh database of its own, dropped afterwards. Under CI=true an absent
// server fails the suite instead of skipping it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { openStore, type Store } from '../connect.js';
import type { DialectName } from '../database-url.js';
import { migrateToLatest } from '../migrate.js';

export const testPostgresUrl = process.env.TOCSIN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const testMysqlUrl = process.env.TOCSIN_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const inCi = process.env.CI === 'true';

async function reachable(dialect: DialectName, attempts = 3): Promise<string | null> {
  const reason = await probe(dialect);
  // A loaded machine can be slow to accept; only a repeated failure means the server is absent.
  if (reason && attempts > 1) {
    await new Promise((r) => setTimeout(r, 500));
    return reachable(dialect, attempts - 1);
  }
  return reason;
}

async function probe(dialect: DialectName): Promise<string | null> {
  try {
    if (dialect === 'postgres') {
      const client = new pg.Client({ connectionString: testPostgresUrl, connectionTimeoutMillis: 5000 });
      await client.connect();
      await client.end();
    } else if (dialect === 'mysql') {
      const conn = await mysql.createConnection({ uri: testMysqlUrl, connectTimeout: 5000 });
      await conn.end();
    }
    return null;
  } catch (err) {
    return `${dialect} server not reachable (${(err as Error).message})`;
  }
}

const absence: Record<DialectName, string | null> = {
  sqlite: null,
  postgres: await reachable('postgres'),
  mysql: await reachable('mysql'),
};

export function skipReason(dialect: DialectName): string | false {
  const reason = absence[dialect];
  if (!reason) return false;
  if (inCi) return false; // must run (and fail) under CI
  console.log(`# skipping ${dialect} tests: ${reason}`);
  return reason;
}

/** A fresh, migrated database of the given dialect; call drop() when done. */
export async function createTestStore(dialect: DialectName, options: { migrate?: boolean } = {}): Promise<{ store: Store; url: string; drop(): Promise<void> }> {
  const name = `tocsin_t_${randomBytes(5).toString('hex')}`;
  let store: Store;
  let url: string;
  let dropDatabase: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-test-'));
    url = `sqlite:${join(dir, 'tocsin.db')}`;
    store = openStore({ dialect, location: join(dir, 'tocsin.db') });
    dropDatabase = async () => rmSync(dir, { recursive: true, force: true });
  } else if (dialect === 'postgres') {
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(testPostgresUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    store = openStore({ dialect, location: url });
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: testPostgresUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    const admin = await mysql.createConnection({ uri: testMysqlUrl });
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(testMysqlUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    store = openStore({ dialect, location: url });
    dropDatabase = async () => {
      const c = await mysql.createConnection({ uri: testMysqlUrl });
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    };
  }
  if (options.migrate !== false) await migrateToLatest(store);
  return {
    store,
    url,
    async drop() {
      await store.close();
      await dropDatabase();
    },
  };
}

export const allDialects: DialectName[] = ['sqlite', 'postgres', 'mysql'];

/** Declares `fn`'s tests once per dialect; `getStore()` gives that dialect's fresh store. */
export function describeEachDatabase(title: string, fn: (getStore: () => Store, dialect: DialectName) => void): void {
  for (const dialect of allDialects) {
    describe(`${title} [${dialect}]`, { skip: skipReason(dialect) }, () => {
      let handle: Awaited<ReturnType<typeof createTestStore>> | undefined;
      before(async () => {
        handle = await createTestStore(dialect);
      });
      after(async () => {
        await handle?.drop();
      });
      fn(() => {
        if (!handle) throw new Error('test store not ready');
        return handle.store;
      }, dialect);
    });
  }
}
