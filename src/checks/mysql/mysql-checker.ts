// "mysql": a MySQL or MariaDB server accepts a login and answers a query (by default its
// version; optionally the user's query, judged by row count or first value). One connection per
// run with mysql2, no pool; the run itself is shared with "postgres" (shared/sql-probe.ts).
import Type from 'typebox';
import { describeNetworkError } from '../shared/network-errors.js';
import { describeSqlTarget, sqlConnectionProperties } from '../shared/sql-connection.js';
import { runSqlProbe, type SqlDriver, type SqlStage } from '../shared/sql-probe.js';
import { defineChecker } from '../types.js';

const MysqlConfigSchema = Type.Object(
  sqlConnectionProperties(3306, 'mysql://monitor:secret@db.example.com:3306/shop'),
  { additionalProperties: false },
);

const mysqlDriver: SqlDriver = {
  scheme: 'mysql',
  versionQuery: 'SELECT VERSION()',
  open: async (uri, timeoutMs) => {
    const mysql = (await import('mysql2')).default; // loaded on first use (registry.ts)
    const conn = mysql.createConnection({ uri, connectTimeout: timeoutMs, rowsAsArray: true });
    conn.on('error', () => {}); // fatal errors also reach the pending command; never crash on them
    return {
      connect: () => new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve()))),
      query: async (sql) => {
        const [result] = await conn.promise().query(sql);
        return Array.isArray(result) ? (result as unknown[][]) : [];
      },
      end: () => conn.promise().end(),
      destroy: () => conn.destroy(),
    };
  },
  describeVersion: (value) => productVersion(String(value)),
  describeError: describeMysqlError,
};

export const mysqlChecker = defineChecker({
  type: 'mysql',
  title: 'MySQL / MariaDB: login and query',
  configSchema: MysqlConfigSchema,
  describeTarget: (config) => describeSqlTarget(config, 'mysql'),
  run: (config, ctx) => runSqlProbe(mysqlDriver, config, ctx),
});

/** "10.11.6-MariaDB-0+deb12u1" -> "MariaDB 10.11.6"; "8.0.36" -> "MySQL 8.0.36". */
export function productVersion(version: string): string {
  const number = version.split('-')[0];
  return /mariadb/i.test(version) ? `MariaDB ${number}` : `MySQL ${number}`;
}

function describeMysqlError(err: unknown, stage: SqlStage): string {
  const { code, errno, sqlMessage } = err as { code?: string; errno?: number; sqlMessage?: string };
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR') {
    const user = /user '([^']*)'/.exec(sqlMessage ?? '')?.[1];
    return `authentication failed for user '${user ?? '?'}'`;
  }
  // An errno with a server message is the server's own answer, not a network failure.
  if (sqlMessage && errno !== undefined) {
    return stage === 'query' ? `query failed: ${sqlMessage}` : `server refused the connection: ${sqlMessage}`;
  }
  return describeNetworkError(err);
}
