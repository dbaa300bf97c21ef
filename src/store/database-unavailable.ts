// Tells a database that cannot serve anyone right now (connection refused or cut, server shutting
// down, out of connections or disk, a read-only server after a failover) from a statement that
// failed on its own. The first is nobody's mistake and passes: callers answer 503 "try again"
// instead of 500, and do not retry item by item against a server that is gone.

/** Node's codes for a network path that failed. */
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs: 57P01-57P03 the server is shutting down or starting, 53300 too many
 * connections, 53100 disk full, 25006 a read-only transaction (a standby after failover).
 * Class 08 (connection exceptions) is matched by prefix.
 */
const postgresCodes = new Set(['57P01', '57P02', '57P03', '53300', '53100', '25006']);

/** pg's own errors for a connection it lost or never got carry no code, only these messages. */
const postgresMessages = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
];

/** MySQL/MariaDB: too many connections, --read-only, table or disk full. */
const mysqlCodes = new Set(['ER_CON_COUNT_ERROR', 'ER_OPTION_PREVENTS_STATEMENT', 'ER_RECORD_FILE_FULL', 'ER_DISK_FULL']);

/** SQLite: the disk is full or failing, the file is read-only or gone, or a lock outlasted busy_timeout. */
const sqlitePrefixes = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_BUSY'];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  /** mysql2 marks errors that ended the connection. */
  fatal?: unknown;
  errors?: unknown;
  cause?: unknown;
}

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const { code, message, fatal, errors, cause } = err as ErrorLike;
  if (typeof code === 'string') {
    if (networkCodes.has(code) || postgresCodes.has(code) || mysqlCodes.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
    if (sqlitePrefixes.some((prefix) => code.startsWith(prefix))) return true;
  }
  if (fatal === true) return true;
  if (typeof message === 'string' && postgresMessages.some((text) => message.startsWith(text))) return true;
  // Node reports a refused connection to every address of a name as one AggregateError.
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

/** What a client is told when the database is unavailable (with 503). */
export const databaseUnavailableMessage = 'the database is unavailable right now (unreachable, full or read-only); try again shortly';
