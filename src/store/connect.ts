// Opens a Kysely database for a target. Dialect-specific tuning lives here and nowhere else.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery, Kysely, MysqlDialect, PostgresDialect, SqliteAdapter, SqliteDriver, SqliteIntrospector, SqliteQueryCompiler,
  type DatabaseConnection, type Dialect, type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';
import { createPool } from 'mysql2';
import type { Database } from './schema.js';
import type { DatabaseTarget, DialectName } from './database-url.js';
import { PreparingClient } from './pg-prepared.js';
import { createSideThread, type SqliteSideThread } from './sqlite-side-thread.js';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** SQLite files only: the worker thread that checkpoints (see sqlite-side-thread.ts). */
  sqliteSideThread?: SqliteSideThread;
  /**
   * SQLite only: runs `work` on the connection itself, synchronously, in one IMMEDIATE
   * transaction, once no Kysely query or transaction holds the connection. For hot writes that
   * Kysely's per-query overhead would dominate (heartbeat check-ins); keep the work short, it
   * holds the event loop.
   */
  sqliteTransaction?<T>(work: (sqlite: SQLite.Database) => T): Promise<T>;
  /**
   * PostgreSQL only: two connections of their own for the steady heartbeat check-in statement,
   * whose sessions never plan a sequential scan or a merge join (see postgresCheckInSessions).
   */
  postgresCheckInDb?: Kysely<Database>;
  close(): Promise<void>;
}

// BIGINT (20) and NUMERIC (1700) arrive as strings from pg; our values fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface StoreOptions {
  poolSize?: number;
  /**
   * Told about errors on idle pooled connections (the server restarted, a proxy cut the line).
   * The pool drops such a connection and opens a new one when needed; without a listener the
   * error would crash the process.
   */
  onIdleError?: (err: Error) => void;
  /** Told when the SQLite side thread fails (see sqlite-side-thread.ts). */
  onSideThreadError?: (message: string) => void;
  /** SQLite: FULL syncs every commit to disk; NORMAL (the default) survives a crash of the process. */
  sqliteSynchronous?: 'NORMAL' | 'FULL';
}

/**
 * Kysely prepares every query anew; on SQLite that preparation costs about as much as running a
 * small statement. Our queries repeat (same SQL, new parameters), so keep the prepared statements,
 * least recently used dropped first. Safe because the SQLite driver runs one statement at a time
 * and runs it to completion (SQLite re-prepares by itself after a schema change).
 */
function cacheStatements(sqlite: SQLite.Database, max = 1000): void {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source);
    } else {
      statement = prepare(source);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
}

/**
 * Kysely's SQLite dialect, except that transactions begin IMMEDIATE: with another connection
 * writing (a CLI command such as `tocsin import` on the same file), a transaction that read and
 * then writes could otherwise fail with SQLITE_BUSY at its first write instead of waiting for the
 * lock at BEGIN (busy_timeout).
 * And a rollback only when a transaction is open: SQLite ends it by itself on some errors (a full
 * disk, an I/O error), and the ROLLBACK's own "no transaction is active" error would then take the
 * place of SQLITE_FULL, which callers answer with 503 (database-unavailable.ts).
 */
function immediateSqliteDialect(config: SqliteDialectConfig & { database: SQLite.Database }): Dialect {
  const sqlite = config.database;
  class ImmediateSqliteDriver extends SqliteDriver {
    override async beginTransaction(connection: DatabaseConnection): Promise<void> {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    }

    override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
      if (sqlite.inTransaction) await super.rollbackTransaction(connection);
    }
  }
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ImmediateSqliteDriver(config),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

/**
 * Session settings of the check-in connections. The steady check-in statement reads its rows from
 * array parameters, whose length PostgreSQL cannot know when it plans; against a services table of
 * a few thousand rows it then plans a hash or merge join over a scan of services, for every batch
 * of a dozen check-ins, and the hot rows' dead versions make that scan dear. Measured with batches
 * of 14 on 1,000 services, alternating runs: 83-93 µs of database CPU per check-in, 54-56 µs with
 * index lookups only. Sequential scans and merge joins are therefore off: the statement finds
 * each service by a lateral lookup in the ping_token index and reaches it by ctid (the test in
 * steady-check-in.test.ts checks the plan).
 * Hash joins stay on: pings meet their updated rows, two in-memory lists, in a hash join; as a
 * nested loop that join compared every ping with every row (400 check-ins: 160,000 comparisons,
 * 51 of the statement's 73 ms). With only a handful of services the plan may also hash the batch
 * against the whole table, which is then as cheap as the lookups.
 * force_generic_plan: one plan per connection, made again only when the table's statistics
 * change (ANALYZE, autovacuum). Otherwise PostgreSQL plans batches of 1-5 anew each time (custom
 * plans win its cost comparison there), which took half of each such statement's time.
 * Measured one statement at a time on 1,000 services, µs per check-in before → after:
 * batches of 1: 967 → 478; 25: 75 → 51; 100: 101 → 43; 400: 219 → 32; 1,000: 396 → 29.
 * PostgreSQL has no per-statement hints, so the statement gets sessions of its own.
 */
const postgresCheckInSessions = '-c enable_seqscan=off -c enable_mergejoin=off -c plan_cache_mode=force_generic_plan';

/**
 * pg reports a connection lost while idle in the pool as the pool's 'error' event. A connection
 * lent out (to a transaction, between its statements) reports it as the client's own 'error'
 * event, which crashes the process when nothing listens. The error also fails the transaction's
 * next statement, and the pool drops a client that is no longer queryable when it comes back, so
 * the client's listener only has to exist.
 */
function watchPostgresPool(pool: pg.Pool, onIdleError: (err: Error) => void): void {
  pool.on('error', onIdleError);
  pool.on('connect', (client) => client.on('error', () => {}));
}

/**
 * How long pg may take to open a connection, or to hand out a pooled one. pg waits forever by
 * default: a server that accepts TCP but never answers (a stalled host, a blackholed address)
 * hung start-up past TOCSIN_DATABASE_WAIT, silently. mysql2 already gives up after 10 s
 * (its `connectTimeout`); past this, pg fails with "Connection terminated due to connection
 * timeout" or "timeout exceeded when trying to connect", which database-unavailable.ts knows.
 */
const postgresConnectTimeoutMs = 10_000;

export function openStore(target: DatabaseTarget, options: StoreOptions = {}): Store {
  const poolSize = options.poolSize ?? 10;
  const onIdleError = options.onIdleError ?? ((err: Error) => console.error(`database connection lost while idle: ${err.message}`));
  let db: Kysely<Database>;
  let sideThread: SqliteSideThread | undefined;
  let sqliteTransaction: Store['sqliteTransaction'];
  let postgresCheckInDb: Kysely<Database> | undefined;
  if (target.dialect === 'sqlite') {
    if (target.location !== ':memory:') mkdirSync(dirname(target.location), { recursive: true });
    const sqlite = new SQLite(target.location);
    sqlite.pragma('journal_mode = WAL');
    // NORMAL under WAL survives a process crash (kill -9); only an OS crash may lose the last commits.
    const synchronous = options.sqliteSynchronous ?? 'NORMAL';
    sqlite.pragma(`synchronous = ${synchronous}`);
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    cacheStatements(sqlite);
    const kysely = new Kysely<Database>({ dialect: immediateSqliteDialect({ database: sqlite }) });
    // Kysely's SQLite driver lends its one connection to one query or transaction at a time.
    sqliteTransaction = (work) => kysely.connection().execute(async () => sqlite.transaction(() => work(sqlite)).immediate());
    if (target.location !== ':memory:') {
      sideThread = createSideThread(sqlite, target.location, {
        onError: options.onSideThreadError, holdWriters: (work) => kysely.connection().execute(work),
      });
    }
    db = kysely;
  } else if (target.dialect === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.location, max: poolSize, Client: PreparingClient, connectionTimeoutMillis: postgresConnectTimeoutMs });
    watchPostgresPool(pool, onIdleError);
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const checkInPool = new pg.Pool({
      connectionString: target.location, max: 2, Client: PreparingClient, options: postgresCheckInSessions, connectionTimeoutMillis: postgresConnectTimeoutMs,
    });
    watchPostgresPool(checkInPool, onIdleError);
    postgresCheckInDb = new Kysely<Database>({ dialect: new PostgresDialect({ pool: checkInPool }) });
  } else {
    const pool = createPool({
      uri: target.location,
      connectionLimit: poolSize,
      supportBigNumbers: true,
      decimalNumbers: true,
    });
    pool.on('connection', (conn) => conn.on('error', onIdleError));
    db = new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
  }
  const close = async () => {
    await sideThread?.stop();
    await postgresCheckInDb?.destroy();
    await db.destroy();
  };
  return { db, dialect: target.dialect, sqliteSideThread: sideThread, sqliteTransaction, postgresCheckInDb, close };
}
