// "postgres": a PostgreSQL server accepts a login and answers a query (by default its version;
// optionally the user's query, judged by row count or first value). One pg client per run, no
// pool; the run itself is shared with "mysql" (shared/sql-probe.ts).
import Type from 'typebox';
import { describeNetworkError } from '../shared/network-errors.js';
import { describeSqlTarget, sqlConnectionProperties } from '../shared/sql-connection.js';
import { runSqlProbe, type SqlDriver, type SqlStage } from '../shared/sql-probe.js';
import { defineChecker } from '../types.js';

const PostgresConfigSchema = Type.Object(
  sqlConnectionProperties(5432, 'postgres://monitor:secret@db.example.com:5432/shop?sslmode=require'),
  { additionalProperties: false },
);

const postgresDriver: SqlDriver = {
  scheme: 'postgres',
  versionQuery: 'SHOW server_version',
  open: async (connectionString, timeoutMs) => {
    const pg = (await import('pg')).default; // loaded on first use (registry.ts)
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
    client.on('error', () => {}); // a connection lost between queries also fails the pending call
    return {
      connect: async () => {
        await client.connect();
      },
      query: async (sql) => {
        const result = await client.query({ text: sql, rowMode: 'array' });
        // Several statements in one query give one result each: judge the last.
        const last = Array.isArray(result) ? result.at(-1) : result;
        return last?.rows ?? [];
      },
      end: () => client.end(),
      destroy: () => {
        client.connection.stream.destroy();
      },
    };
  },
  describeVersion: (value) => `PostgreSQL ${String(value).split(' ')[0]}`,
  describeError: describePostgresError,
};

export const postgresChecker = defineChecker({
  type: 'postgres',
  title: 'PostgreSQL: login and query',
  configSchema: PostgresConfigSchema,
  describeTarget: (config) => describeSqlTarget(config, 'postgres'),
  run: (config, ctx) => runSqlProbe(postgresDriver, config, ctx),
});

function describePostgresError(err: unknown, stage: SqlStage): string {
  const { code, severity } = err as { code?: string; severity?: string };
  const message = err instanceof Error ? err.message : String(err);
  // 28P01 is invalid_password; other refusals (no such role, pg_hba.conf) carry their own message.
  if (code === '28P01') return `authentication failed for user '${/user "([^"]*)"/.exec(message)?.[1] ?? '?'}'`;
  // Errors the server sent carry a severity; everything else is the network's or the driver's.
  if (severity !== undefined) return stage === 'query' ? `query failed: ${message}` : `server refused the connection: ${message}`;
  if (/connection timeout/i.test(message)) return 'connection timed out';
  return describeNetworkError(err);
}
