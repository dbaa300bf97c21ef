// CPU time spent during one drive, from /proc (Linux only; elsewhere every figure is null): by the
// server under test, by the database server's processes (PostgreSQL), and by the load generator
// (autocannon runs in this process; wrk is a child, counted once it has exited and been reaped).
// Reported in µs per answered request, so a gap to the bare server can be read as costs: session
// 11 found this way that PostgreSQL's own CPU per check-in is about as large as the whole bare
// server's per request (bench/README.md).
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

export interface CpuSnapshot {
  server: number | null;
  /** Ticks per database process, by pid. */
  database: Map<number, number>;
  /** This process and its reaped children (utime + stime, cutime + cstime). */
  loadGenerator: number;
}

export interface CpuPerRequest {
  server: number | null;
  database: number | null;
  loadGenerator: number | null;
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces). */
function statFields(pid: number | 'self'): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** utime + stime (+ cutime + cstime when `withChildren`), in ticks. */
function ticksOf(pid: number | 'self', withChildren = false): number | null {
  const f = statFields(pid);
  if (!f) return null;
  // After the name: state is field 0, utime 11, stime 12, cutime 13, cstime 14.
  const own = Number(f[11]) + Number(f[12]);
  return withChildren ? own + Number(f[13]) + Number(f[14]) : own;
}

function databaseProcesses(): Map<number, number> {
  const found = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue; // ended while we looked
    }
    const ticks = ticksOf(Number(entry));
    if (ticks !== null) found.set(Number(entry), ticks);
  }
  return found;
}

export function takeSnapshot(serverPid: number | undefined): CpuSnapshot {
  return {
    server: serverPid === undefined ? null : ticksOf(serverPid),
    database: databaseProcesses(),
    loadGenerator: ticksOf('self', true) ?? 0,
  };
}

/** Ticks spent between two snapshots; database ticks only of processes alive at both. */
export function ticksBetween(before: CpuSnapshot, after: CpuSnapshot): { server: number | null; database: number; loadGenerator: number } {
  let database = 0;
  for (const [pid, ticks] of after.database) {
    const earlier = before.database.get(pid);
    if (earlier !== undefined && ticks >= earlier) database += ticks - earlier;
  }
  const server = before.server === null || after.server === null ? null : after.server - before.server;
  return { server, database, loadGenerator: after.loadGenerator - before.loadGenerator };
}

/** µs per request from summed ticks; `hasDatabase` false leaves the database figure null. */
export function perRequest(ticks: { server: number | null; database: number; loadGenerator: number }, requests: number, hasDatabase: boolean): CpuPerRequest {
  const us = (t: number) => (requests > 0 ? Math.round(((t / ticksPerSecond) * 1e6 / requests) * 10) / 10 : null);
  return {
    server: ticks.server === null ? null : us(ticks.server),
    database: hasDatabase ? us(ticks.database) : null,
    loadGenerator: us(ticks.loadGenerator),
  };
}
