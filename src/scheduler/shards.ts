// Services are split into a fixed number of shards by a stable hash of their id; instances hold
// leases on shards, never on single services, so coordination costs the same for 10 or 10,000.
import { shardCount } from '../store/migrations/101-scheduler.js';

export { shardCount };

/** FNV-1a 32-bit: stable across processes, versions and platforms. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function shardOf(serviceId: string): number {
  return stableHash(serviceId) % shardCount;
}
