// What Tocsin needs of a database server, checked once at start: a server that cannot run it
// stops start-up with a message naming the fix, instead of failing in the background every second.
// - FOR UPDATE SKIP LOCKED (instances share work): MySQL 8.0, MariaDB 10.6.
// - VACUUM (SKIP_LOCKED, TRUNCATE false) on the check-in inbox: PostgreSQL 12.
// - READ COMMITTED writes (the inbox mover, the notification claim): with binary logging on,
//   binlog_format=STATEMENT refuses them ("impossible to write to binary log"), so the mover and
//   the dispatcher failed on every pass and no notification went out.
import { sql } from 'kysely';
import type { Store } from './connect.js';
import type { DialectName } from './database-url.js';

export class UnsupportedDatabaseError extends Error {}

export interface ServerFacts {
  /** `select version()` on MySQL/MariaDB, `server_version_num` on PostgreSQL. */
  version: string;
  binaryLogging?: boolean;
  binlogFormat?: string;
}

/** Why this server cannot run Tocsin, or null when it can. */
export function unmetRequirement(dialect: DialectName, facts: ServerFacts): string | null {
  if (dialect === 'postgres') {
    const num = Number(facts.version);
    return num < 120000 ? `PostgreSQL 12 or later is needed (this server reports version ${Math.floor(num / 10000)})` : null;
  }
  if (dialect !== 'mysql') return null;
  const [major, minor] = (/^(\d+)\.(\d+)/.exec(facts.version) ?? []).slice(1).map(Number);
  const mariadb = /mariadb/i.test(facts.version);
  if (mariadb && (major < 10 || (major === 10 && minor < 6))) return `MariaDB 10.6 or later is needed for SKIP LOCKED (this server is ${facts.version})`;
  if (!mariadb && major < 8) return `MySQL 8.0 or later is needed for SKIP LOCKED (this server is ${facts.version})`;
  if (facts.binaryLogging && facts.binlogFormat?.toUpperCase() === 'STATEMENT') {
    return 'the server logs with binlog_format=STATEMENT, which refuses the READ COMMITTED writes Tocsin '
      + 'makes (moving check-ins, claiming notifications): set binlog_format=MIXED or ROW on the server';
  }
  return null;
}

async function readServerFacts(store: Store): Promise<ServerFacts | null> {
  if (store.dialect === 'postgres') {
    const { rows } = await sql<{ server_version_num: string }>`show server_version_num`.execute(store.db);
    return { version: rows[0].server_version_num };
  }
  if (store.dialect === 'mysql') {
    const { rows } = await sql<{ version: string; log_bin: number | string; format: string }>`select version() as version,
      @@log_bin as log_bin, @@binlog_format as format`.execute(store.db);
    return { version: rows[0].version, binaryLogging: Number(rows[0].log_bin) === 1, binlogFormat: rows[0].format };
  }
  return null;
}

/** Throws UnsupportedDatabaseError when the store's server cannot run Tocsin. */
export async function assertServerRequirements(store: Store): Promise<void> {
  const facts = await readServerFacts(store);
  const unmet = facts && unmetRequirement(store.dialect, facts);
  if (unmet) throw new UnsupportedDatabaseError(`unsupported database server: ${unmet}`);
}
