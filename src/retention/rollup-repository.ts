// Storage of roll-up buckets and of the retention jobs' progress. Reads raw results too: the
// minute roll-up and the edges of uptime windows are computed from them.
import type { Executor } from '../store/executor.js';
import './retention-tables.js';
import { addResult, BucketGrouper, fromRow, toRow, type Resolution, type RollupBucket } from './rollup-bucket.js';

export type RetentionJobName = Resolution | 'prune';
const insertChunk = 500;

export class RollupRepository {
  constructor(private readonly db: Executor) {}

  /** Raw results in [from, to) grouped into buckets of `resolution`. */
  async rawBuckets(resolution: Resolution, from: number, to: number, serviceId?: string): Promise<RollupBucket[]> {
    let q = this.db.selectFrom('check_results').select(['service_id', 'at', 'up', 'latency_ms'])
      .where('at', '>=', from).where('at', '<', to);
    if (serviceId) q = q.where('service_id', '=', serviceId);
    const grouper = new BucketGrouper(resolution);
    for (const r of await q.execute()) {
      addResult(grouper.bucketFor(r.service_id, Number(r.at)), Boolean(r.up), r.latency_ms === null ? null : Number(r.latency_ms));
    }
    return grouper.all();
  }

  async rollups(resolution: Resolution, from: number, to: number, serviceId?: string): Promise<RollupBucket[]> {
    let q = this.db.selectFrom('result_rollups').selectAll()
      .where('resolution', '=', resolution).where('bucket_start', '>=', from).where('bucket_start', '<', to);
    if (serviceId) q = q.where('service_id', '=', serviceId);
    return (await q.orderBy('bucket_start').execute()).map(fromRow);
  }

  /** Replaces every bucket of `resolution` starting in [from, to): recomputing is idempotent. */
  async replaceRange(resolution: Resolution, from: number, to: number, buckets: RollupBucket[]): Promise<void> {
    await this.db.deleteFrom('result_rollups')
      .where('resolution', '=', resolution).where('bucket_start', '>=', from).where('bucket_start', '<', to).execute();
    for (let i = 0; i < buckets.length; i += insertChunk) {
      await this.db.insertInto('result_rollups').values(buckets.slice(i, i + insertChunk).map(toRow)).execute();
    }
  }

  /** The time of the first raw result at or after `from`, or null. */
  async firstRawAt(from: number): Promise<number | null> {
    const row = await this.db.selectFrom('check_results').select((eb) => eb.fn.min('at').as('at')).where('at', '>=', from).executeTakeFirst();
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }

  async firstRollupAt(resolution: Resolution, from: number): Promise<number | null> {
    const row = await this.db.selectFrom('result_rollups').select((eb) => eb.fn.min('bucket_start').as('at'))
      .where('resolution', '=', resolution).where('bucket_start', '>=', from).executeTakeFirst();
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }

  async progress(): Promise<Record<RetentionJobName, number>> {
    const rows = await this.db.selectFrom('retention_jobs').select(['name', 'done_until']).execute();
    const out: Record<RetentionJobName, number> = { minute: 0, hour: 0, day: 0, prune: 0 };
    for (const r of rows) out[r.name as RetentionJobName] = Number(r.done_until);
    return out;
  }

  /**
   * Moves a job's progress from `from` to `to` only if nobody moved it meanwhile (compare and
   * set). Called in the transaction that writes the buckets, so a bucket is never counted twice.
   */
  async advance(name: RetentionJobName, from: number, to: number): Promise<boolean> {
    const result = await this.db.updateTable('retention_jobs').set({ done_until: to })
      .where('name', '=', name).where('done_until', '=', from).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Takes or renews the job's lease; false when another instance holds it. Saves wasted work only. */
  async claim(name: RetentionJobName, owner: string, now: number, ttlMs: number): Promise<boolean> {
    const result = await this.db.updateTable('retention_jobs').set({ lease_owner: owner, lease_expires_at: now + ttlMs })
      .where('name', '=', name)
      .where((eb) => eb.or([eb('lease_owner', '=', owner), eb('lease_owner', 'is', null), eb('lease_expires_at', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async release(name: RetentionJobName, owner: string): Promise<void> {
    await this.db.updateTable('retention_jobs').set({ lease_owner: null, lease_expires_at: 0 })
      .where('name', '=', name).where('lease_owner', '=', owner).execute();
  }
}
