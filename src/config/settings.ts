// Process settings, read from the environment ONCE, validated and frozen. Nothing else in Tocsin
// reads process.env. Every secret may come from a file instead: FOO_FILE=/run/secrets/foo.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseDuration } from '../domain/duration.js';
import { statuerMysqlUrl } from '../store/database-url.js';

export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  configFile: string | null;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  logLevel: string;
  /** "pretty" for a terminal, "json" for log shippers. */
  logFormat: 'pretty' | 'json';
  /** The address users reach Tocsin at, for links in messages and on pages. */
  publicUrl: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** How much of a heartbeat check-in's body is kept as its log, in bytes. */
  pingBodyLimit: number;
  /** Sent with Secure cookies unless explicitly disabled (plain-HTTP development). */
  secureCookies: 'auto' | boolean;
  trustProxy: boolean;
  sessionTtlMs: number;
  /** Identifies this process in leases shared with other instances. */
  instanceId: string;
  /** How long raw check results are kept (roll-ups are kept longer). */
  resultRetentionMs: number;
  /** How long heartbeat check-ins (the pings and their logs) are kept. */
  pingRetentionMs: number;
  /**
   * What a check-in's 2xx survives. 'process' (default): Tocsin crashing or being killed; a crash
   * of the database host may lose the last moments of check-ins (SQLite synchronous=NORMAL,
   * PostgreSQL synchronous_commit=off for steady check-ins). 'disk': also that crash: the commit is
   * on disk before the answer (SQLite synchronous=FULL, PostgreSQL's own synchronous_commit).
   */
  checkInDurability: 'process' | 'disk';
  /**
   * How long start-up waits for a database server that cannot be reached yet (started together
   * with it, by compose or at boot) before giving up; 0 gives up at once.
   */
  databaseWaitMs: number;
  /** How long a check-in waits for the database to commit it before it is answered 503. */
  checkInTimeoutMs: number;
  /** Every other request is answered 503 past this (a database that stalls). */
  requestTimeoutMs: number;
  /** `?create=1` creates a service only while its project holds fewer than this many; 0 turns it off. */
  autoCreateLimit: number;
  /** Active checks in flight at most, per instance. */
  checkConcurrency: number;
  /** TOCSIN_SECRET_KEY: encrypts stored secrets (notification channel tokens); see alerts/secret-key.ts. */
  secretKey?: string;
  /** A frozen copy of the environment, for ${VAR} substitution in the config file. */
  environment: Readonly<Record<string, string | undefined>>;
}

export class SettingsError extends Error {}

type Env = Record<string, string | undefined>;

/** Reads NAME, or the contents of the file named by NAME_FILE. */
function secret(env: Env, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new SettingsError(`${name}_FILE: cannot read ${file} (${(err as Error).message})`);
    }
  }
  return env[name] || undefined;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new SettingsError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return n;
}

/** A duration setting from `min` to `max` ("7d"); the bounds are written as durations in the message. */
function duration(env: Env, name: string, fallback: string, min: string, max: string): number {
  const ms = parseDuration(env[name] || fallback);
  // The upper bound keeps every "now ± this" inside a 64-bit column, and therefore on the database.
  if (ms === null || ms < parseDuration(min)! || ms > parseDuration(max)!) {
    throw new SettingsError(`${name} must be a duration from ${min} to ${max}, e.g. "${fallback}"`);
  }
  return ms;
}

function bool(env: Env, name: string): boolean | undefined {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new SettingsError(`${name} must be true or false (got "${env[name]}")`);
}

export function readSettings(env: Env = process.env, overrides: { configFile?: string } = {}): Readonly<Settings> {
  const dataDir = resolve(env.DATA_DIR || './data');
  let databaseUrl = secret(env, 'DATABASE_URL');
  if (!databaseUrl && env.MYSQL_CONNECTION_URL) {
    try {
      databaseUrl = statuerMysqlUrl(env.MYSQL_CONNECTION_URL, env.MYSQL_USERNAME, secret(env, 'MYSQL_PASSWORD'));
    } catch (err) {
      throw new SettingsError((err as Error).message);
    }
  }
  databaseUrl ??= `sqlite:${join(dataDir, 'tocsin.db')}`;
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const sessionTtlMs = duration(env, 'TOCSIN_SESSION_TTL', '7d', '1m', '365d');
  const resultRetentionMs = duration(env, 'TOCSIN_RESULT_RETENTION', '7d', '1h', '3650d');
  const pingRetentionMs = duration(env, 'TOCSIN_PING_RETENTION', '30d', '1h', '3650d');
  const logFormat = (env.LOG_FORMAT || (process.stdout.isTTY ? 'pretty' : 'json')) as Settings['logFormat'];
  if (!['pretty', 'json'].includes(logFormat)) throw new SettingsError('LOG_FORMAT must be "pretty" or "json"');
  const host = env.HOST || '0.0.0.0';
  const secure = bool(env, 'TOCSIN_SECURE_COOKIES');
  const checkInDurability = (env.TOCSIN_CHECKIN_DURABILITY || 'process') as Settings['checkInDurability'];
  if (!['process', 'disk'].includes(checkInDurability)) throw new SettingsError('TOCSIN_CHECKIN_DURABILITY must be "process" or "disk"');
  return Object.freeze({
    port,
    host,
    dataDir,
    databaseUrl,
    configFile: overrides.configFile ?? (env.TOCSIN_CONFIG || null),
    adminEmail: env.TOCSIN_ADMIN_EMAIL || undefined,
    adminPassword: secret(env, 'TOCSIN_ADMIN_PASSWORD'),
    logLevel: env.LOG_LEVEL || 'info',
    logFormat,
    publicUrl: (env.TOCSIN_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    bodyLimit: integer(env, 'TOCSIN_BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024),
    pingBodyLimit: integer(env, 'TOCSIN_PING_BODY_LIMIT', 10 * 1024, 0, 16 * 1024 * 1024),
    secureCookies: secure ?? 'auto',
    trustProxy: bool(env, 'TOCSIN_TRUST_PROXY') ?? false,
    sessionTtlMs,
    instanceId: env.TOCSIN_INSTANCE_ID || `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    resultRetentionMs,
    pingRetentionMs,
    checkInDurability,
    databaseWaitMs: duration(env, 'TOCSIN_DATABASE_WAIT', '60s', '0s', '1h'),
    checkInTimeoutMs: duration(env, 'TOCSIN_CHECKIN_TIMEOUT', '10s', '1s', '10m'),
    requestTimeoutMs: duration(env, 'TOCSIN_REQUEST_TIMEOUT', '30s', '1s', '1h'),
    autoCreateLimit: integer(env, 'TOCSIN_AUTO_CREATE_LIMIT', 1000, 0, 1_000_000),
    checkConcurrency: integer(env, 'TOCSIN_CHECK_CONCURRENCY', 200, 1, 10_000),
    secretKey: secret(env, 'TOCSIN_SECRET_KEY'),
    environment: Object.freeze({ ...env }),
  });
}
