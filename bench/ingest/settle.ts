// Waits for the machine to go quiet between two drives. A server just driven keeps working for a
// while after its load stops (PostgreSQL's autovacuum and checkpoints, SQLite's catch-up
// checkpoint); without the wait, that work would fall on the next server's round.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Idle and total CPU time of the whole machine so far, from /proc/stat (Linux). */
function cpuTimes(): { idle: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
    return { idle, total: fields.reduce((sum, value) => sum + value, 0) };
  } catch {
    return null;
  }
}

/** The share of the machine's CPU time that was busy over the next `ms`; null off Linux. */
async function busyShare(ms: number): Promise<number | null> {
  const before = cpuTimes();
  await sleep(ms);
  const after = cpuTimes();
  if (!before || !after || after.total === before.total) return null;
  return 1 - (after.idle - before.idle) / (after.total - before.total);
}

/**
 * Returns once half a second passes with the machine under `threshold` busy, or after
 * `maxMs`; resolves to the time waited and whether it went quiet.
 */
export async function settle(threshold = 0.1, maxMs = 15_000): Promise<{ waitedMs: number; quiet: boolean }> {
  const started = Date.now();
  while (Date.now() - started < maxMs) {
    const busy = await busyShare(500);
    if (busy === null || busy < threshold) return { waitedMs: Date.now() - started, quiet: true };
  }
  return { waitedMs: Date.now() - started, quiet: false };
}
