// Shard leases shared by every instance on one database. Each tick an instance announces itself,
// renews what it holds, gives back shards above its fair share (shards / live instances, rounded
// up) and claims free or expired ones up to that share. Claims are conditional UPDATEs, so two
// instances never hold the same shard at once; a dead instance's shards expire after `ttlMs` and
// are taken over by the others.
import type { Executor } from '../store/executor.js';
import { isUniqueViolation } from '../store/executor.js';
import './scheduler-tables.js';
import { shardCount } from './shards.js';

export interface LeaseTiming {
  ttlMs: number;
}

export class ShardLeases {
  private held = new Set<number>();
  private renewedAt = 0;

  constructor(
    private readonly db: Executor,
    private readonly instanceId: string,
    private readonly now: () => number,
    private readonly timing: LeaseTiming,
  ) {}

  get owned(): ReadonlySet<number> {
    return this.held;
  }

  /** One round of announce/renew/rebalance; returns the shards held afterwards. */
  async tick(): Promise<ReadonlySet<number>> {
    const now = this.now();
    const ttl = this.timing.ttlMs;
    await this.announce(now);
    await this.db.updateTable('scheduler_leases').set({ expires_at: now + ttl }).where('owner', '=', this.instanceId).execute();
    const rows = await this.db.selectFrom('scheduler_leases').selectAll().execute();
    const live = await this.db.selectFrom('scheduler_instances').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('seen_at', '>=', now - ttl).executeTakeFirstOrThrow();
    const fairShare = Math.ceil(shardCount / Math.max(1, Number(live.n)));
    const mine = rows.filter((r) => r.owner === this.instanceId).map((r) => Number(r.shard)).sort((a, b) => a - b);
    if (mine.length > fairShare) {
      const extra = mine.slice(fairShare);
      await this.db.updateTable('scheduler_leases').set({ owner: null, expires_at: 0 })
        .where('owner', '=', this.instanceId).where('shard', 'in', extra).execute();
      mine.length = fairShare;
    } else if (mine.length < fairShare) {
      const free = rows.filter((r) => r.owner === null || Number(r.expires_at) < now).map((r) => Number(r.shard));
      for (const shard of free) {
        if (mine.length >= fairShare) break;
        if (await this.claim(shard, now)) mine.push(shard);
      }
    }
    this.held = new Set(mine);
    this.renewedAt = now;
    return this.held;
  }

  /**
   * After failed renewals (database unreachable), leases held longer than their time-to-live are
   * given up in memory: other instances may own those shards by now.
   */
  dropIfExpired(): boolean {
    if (this.held.size === 0 || this.now() - this.renewedAt <= this.timing.ttlMs) return false;
    this.held = new Set();
    return true;
  }

  private async claim(shard: number, now: number): Promise<boolean> {
    const result = await this.db.updateTable('scheduler_leases').set({ owner: this.instanceId, expires_at: now + this.timing.ttlMs })
      .where('shard', '=', shard)
      .where((eb) => eb.or([eb('owner', 'is', null), eb('expires_at', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private async announce(now: number): Promise<void> {
    const updated = await this.db.updateTable('scheduler_instances').set({ seen_at: now })
      .where('instance_id', '=', this.instanceId).executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    try {
      await this.db.insertInto('scheduler_instances').values({ instance_id: this.instanceId, seen_at: now }).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    // Instances gone for long are forgotten (they no longer count towards shares anyway).
    await this.db.deleteFrom('scheduler_instances').where('seen_at', '<', now - 100 * this.timing.ttlMs).execute();
  }

  /**
   * SQLite serves one process only: leases left by a previous process (killed, so never
   * released) are taken back at once instead of waiting for them to expire.
   */
  async takeOverAbandoned(): Promise<void> {
    await this.db.updateTable('scheduler_leases').set({ owner: null, expires_at: 0 }).where('owner', '!=', this.instanceId).execute();
    await this.db.deleteFrom('scheduler_instances').where('instance_id', '!=', this.instanceId).execute();
  }

  /** Gives every shard back at once, so other instances take over without waiting for expiry. */
  async releaseAll(): Promise<void> {
    await this.db.updateTable('scheduler_leases').set({ owner: null, expires_at: 0 }).where('owner', '=', this.instanceId).execute();
    await this.db.deleteFrom('scheduler_instances').where('instance_id', '=', this.instanceId).execute();
    this.held = new Set();
  }
}
