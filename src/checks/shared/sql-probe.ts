// How the SQL checkers ("mysql", "postgres") run: connect, run the query (or ask for the server
// version), say goodbye, judge the rows. Each checker supplies a small driver for its client
// library; this file owns the deadline, the timings and the sentences.
import type { CheckContext, CheckOutcome } from '../types.js';
import { abortable } from './abortable.js';
import { deadlineFor } from './deadline.js';
import { plural } from './display.js';
import { connectionUrl, type SqlConnectionFields } from './sql-connection.js';
import { formatMs, startStopwatch } from './stopwatch.js';

/** One connection of a client library, opened for one check. */
export interface SqlSession {
  connect(): Promise<void>;
  /** Runs `sql`; rows as arrays of column values (an empty list for statements without rows). */
  query(sql: string): Promise<unknown[][]>;
  /** The polite goodbye (COM_QUIT, Terminate), so servers do not log aborted connections. */
  end(): Promise<void>;
  /** Drops the socket at once; safe at any time and more than once. */
  destroy(): void;
}

export type SqlStage = 'connect' | 'query';

export interface SqlDriver {
  scheme: string;
  /** Run when the config has no query; its first value goes to describeVersion. */
  versionQuery: string;
  /** Starts connecting (the first call also loads the client library). */
  open(url: string, timeoutMs: number): Promise<SqlSession>;
  /** "MariaDB 10.11.6" from the version query's value. */
  describeVersion(value: unknown): string;
  /** A sentence for a failure that is not the deadline's. */
  describeError(err: unknown, stage: SqlStage): string;
}

export type SqlProbeConfig = SqlConnectionFields & QueryExpectations & { query?: string };

export async function runSqlProbe(driver: SqlDriver, config: SqlProbeConfig, ctx: CheckContext): Promise<CheckOutcome> {
  const deadline = deadlineFor(ctx);
  const timings: Record<string, number> = {};
  let session: SqlSession | undefined;
  let stage: SqlStage = 'connect';
  try {
    const url = connectionUrl(config, driver.scheme);
    if (url === null) return { up: false, latencyMs: null, detail: 'no server to check: set url or host' };
    const live = await driver.open(url, ctx.timeoutMs);
    // Started once open() returns: loading the client library (first run only) is not the server's time.
    const stopwatch = startStopwatch();
    session = live;
    const destroy = () => live.destroy();
    await abortable(live.connect(), deadline.signal, destroy);
    timings.connectMs = stopwatch.elapsedMs();
    stage = 'query';
    const rows = await abortable(live.query(config.query ?? driver.versionQuery), deadline.signal, destroy);
    const latencyMs = stopwatch.elapsedMs();
    await abortable(live.end(), deadline.signal, destroy);
    if (config.query === undefined) {
      return { up: true, latencyMs, detail: `${driver.describeVersion(rows[0]?.[0])} answered in ${formatMs(latencyMs)}`, timings };
    }
    const problem = queryRowsProblem(rows, config);
    if (problem) return { up: false, latencyMs, detail: problem, timings };
    return { up: true, latencyMs, detail: `${describeQueryRows(rows, config)} in ${formatMs(latencyMs)}`, timings };
  } catch (err) {
    const detail = deadline.signal.aborted ? deadline.timedOutDetail : driver.describeError(err, stage);
    return { up: false, latencyMs: null, detail, timings };
  } finally {
    session?.destroy();
  }
}

export interface QueryExpectations {
  expectedValue?: string;
  minRows?: number;
}

/** Why the rows (each an array of column values) fail the expectations, or null when they pass. */
export function queryRowsProblem(rows: unknown[][], expect: QueryExpectations): string | null {
  if (expect.minRows !== undefined && rows.length < expect.minRows) {
    return `query returned ${plural(rows.length, 'row')}, expected at least ${expect.minRows}`;
  }
  if (expect.expectedValue !== undefined) {
    if (rows.length === 0) return `query returned no rows, expected "${expect.expectedValue}"`;
    const actual = cellText(rows[0][0]);
    if (actual !== expect.expectedValue) return `query returned "${actual}", expected "${expect.expectedValue}"`;
  }
  return null;
}

/** "query returned 3 rows", or the value when one was expected. */
export function describeQueryRows(rows: unknown[][], expect: QueryExpectations): string {
  if (expect.expectedValue !== undefined) return `query returned "${expect.expectedValue}"`;
  return `query returned ${plural(rows.length, 'row')}`;
}

/** A column value as text the way a user would write it in `expectedValue`. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
