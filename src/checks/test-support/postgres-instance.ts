// A private PostgreSQL instance that really checks passwords (scram-sha-256), for the login
// cases the shared test server cannot show (it trusts loopback). initdb + postgres from Debian's
// postgresql package, run as the existing "postgres" system user in a temp dir; about a second.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOnFreePort } from './local-ports.js';
import { startServerProcess, stopAndRemoveDir } from './server-process.js';

export interface PostgresInstance {
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

/** Debian's newest /usr/lib/postgresql/<version>/bin, or null. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : null;
}

/** Why a private instance cannot start here, or null. */
export function postgresInstanceProblem(): string | null {
  if (postgresBinDir() === null) return 'initdb not found (Debian package postgresql)';
  if (process.getuid?.() !== 0) return 'starting a private PostgreSQL needs root (to run it as the postgres user)';
  try {
    postgresAccount();
    return null;
  } catch {
    return 'no "postgres" system user (Debian package postgresql)';
  }
}

function postgresAccount(): { uid: number; gid: number } {
  const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres']).toString().trim()));
  return { uid, gid };
}

export async function startPostgresInstance(password: string): Promise<PostgresInstance> {
  const bin = postgresBinDir()!;
  const account = postgresAccount();
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-pg-'));
  chownSync(dir, account.uid, account.gid);
  writeFileSync(join(dir, 'pw'), password);
  chownSync(join(dir, 'pw'), account.uid, account.gid);
  const data = join(dir, 'data');
  execFileSync(join(bin, 'initdb'), ['-D', data, '-A', 'scram-sha-256', '-U', 'postgres', `--pwfile=${join(dir, 'pw')}`, '-N'], {
    ...account, stdio: 'ignore',
  });
  try {
    return await startOnFreePort(async (port) => {
      const server = await startServerProcess(join(bin, 'postgres'), [
        '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off',
      ], /ready to accept connections/, 10_000, account);
      return {
        port,
        user: 'postgres',
        password,
        stop: stopAndRemoveDir(server, dir),
      };
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
