// The basic facts an agent reports with each check-in, so the server shows what each host said
// last: its name, uptime, load, memory and the disk use of one path.
import { statfs } from 'node:fs/promises';
import { freemem, hostname, loadavg, platform, totalmem, uptime } from 'node:os';

export interface HostFacts {
  hostname: string;
  platform: string;
  uptimeSeconds: number;
  loadAverage: number[];
  memory: { totalBytes: number; freeBytes: number; usedPercent: number };
  disk: { path: string; totalBytes: number; freeBytes: number; usedPercent: number } | { path: string; error: string };
}

const percent = (used: number, total: number) => (total > 0 ? Math.round((used / total) * 1000) / 10 : 0);

export async function hostFacts(diskPath = '/'): Promise<HostFacts> {
  const total = totalmem();
  const free = freemem();
  let disk: HostFacts['disk'];
  try {
    const s = await statfs(diskPath);
    const totalBytes = s.blocks * s.bsize;
    const freeBytes = s.bavail * s.bsize;
    disk = { path: diskPath, totalBytes, freeBytes, usedPercent: percent(totalBytes - freeBytes, totalBytes) };
  } catch (err) {
    disk = { path: diskPath, error: (err as Error).message };
  }
  return {
    hostname: hostname(), platform: platform(), uptimeSeconds: Math.round(uptime()), loadAverage: loadavg(),
    memory: { totalBytes: total, freeBytes: free, usedPercent: percent(total - free, total) },
    disk,
  };
}
