// Small measurement helpers for the checks benchmark.
import { readFileSync, statSync } from 'node:fs';

export function percentileOf(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Peak resident set size of this process so far, in MB (Linux VmHWM). */
export function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** Size of an SQLite database with its WAL and shared-memory files, in bytes. */
export function sqliteBytes(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    try { total += statSync(path + suffix).size; } catch { /* absent */ }
  }
  return total;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
