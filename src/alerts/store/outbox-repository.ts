// The outbox: one row per message to deliver to one channel, claimed by a dispatcher with a lease,
// and the log of every delivery attempt. Every claim is a conditional UPDATE (after a SKIP LOCKED
// read off SQLite), so two dispatchers sharing a database never both own a row.
import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { DialectName } from '../../store/database-url.js';
import { fromJson, toJson, type Executor } from '../../store/executor.js';
import type { AlertEvent, AlertKind } from '../../notifiers/types.js';
import type { NotificationAttemptTable, NotificationOutboxTable } from './tables.js';

export interface ClaimOptions {
  now: number;
  limit: number;
  instanceId: string;
  leaseMs: number;
  excludeChannels: string[];
  freeSlots: (channelId: string) => number;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface NewOutboxItem {
  channelId: string;
  serviceId: string | null;
  event: AlertEvent;
  /** Unique: a second item with the same key is silently not inserted. */
  dedupKey: string | null;
  at: number;
  status?: OutboxStatus;
}

export interface OutboxItem {
  id: number;
  channelId: string;
  serviceId: string | null;
  kind: AlertKind;
  event: AlertEvent;
  dedupKey: string | null;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  claimedBy: string | null;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface DeliveryAttempt {
  id: number;
  outboxId: number;
  at: number;
  durationMs: number;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  permanent: boolean;
  instanceId: string | null;
}

function toItem(r: Selectable<NotificationOutboxTable>): OutboxItem {
  return {
    id: Number(r.id), channelId: r.channel_id, serviceId: r.service_id, kind: r.kind as AlertKind,
    event: fromJson<AlertEvent>(r.event, null as unknown as AlertEvent), dedupKey: r.dedup_key,
    status: r.status as OutboxStatus, attempts: Number(r.attempts), nextAttemptAt: Number(r.next_attempt_at),
    claimedBy: r.claimed_by, lastError: r.last_error, createdAt: Number(r.created_at),
    sentAt: r.sent_at === null ? null : Number(r.sent_at),
  };
}

function toAttempt(r: Selectable<NotificationAttemptTable>): DeliveryAttempt {
  return {
    id: Number(r.id), outboxId: Number(r.outbox_id), at: Number(r.at), durationMs: Number(r.duration_ms), ok: Boolean(r.ok),
    statusCode: r.status_code === null ? null : Number(r.status_code), error: r.error, permanent: Boolean(r.permanent),
    instanceId: r.instance_id,
  };
}

export class OutboxRepository {
  constructor(private readonly db: Executor, private readonly dialect: DialectName) {}

  /** Inserts items, skipping those whose dedup key exists already; returns how many went in. */
  async enqueue(items: NewOutboxItem[]): Promise<number> {
    let inserted = 0;
    // In chunks: SQLite allows 32,766 bound variables per statement, PostgreSQL 65,535.
    for (let start = 0; start < items.length; start += 500) {
      const values = items.slice(start, start + 500).map((item) => ({
        channel_id: item.channelId, service_id: item.serviceId, kind: item.event.kind, event: toJson(item.event),
        dedup_key: item.dedupKey, status: item.status ?? 'pending', attempts: 0, next_attempt_at: item.at,
        claimed_by: null, claim_token: null, claim_expires_at: null, last_error: null, created_at: item.at, sent_at: null,
      }));
      // Skipping a duplicate must not abort a surrounding PostgreSQL transaction: no catch-and-go-on.
      const query = this.dialect === 'mysql'
        ? this.db.insertInto('notification_outbox').orIgnore().values(values)
        : this.db.insertInto('notification_outbox').values(values).onConflict((oc) => oc.column('dedup_key').doNothing());
      const result = await query.executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    return inserted;
  }

  /** Inserts one item and returns its id (for sends that are tracked at once, like tests). */
  async insertOne(item: NewOutboxItem & { claimedBy: string; claimExpiresAt: number }): Promise<number> {
    const values = {
      channel_id: item.channelId, service_id: item.serviceId, kind: item.event.kind, event: toJson(item.event),
      dedup_key: item.dedupKey, status: item.status ?? 'sending', attempts: 0, next_attempt_at: item.at,
      claimed_by: item.claimedBy, claim_token: null, claim_expires_at: item.claimExpiresAt, last_error: null,
      created_at: item.at, sent_at: null,
    };
    if (this.dialect === 'mysql') {
      const result = await this.db.insertInto('notification_outbox').values(values).executeTakeFirstOrThrow();
      return Number(result.insertId);
    }
    const row = await this.db.insertInto('notification_outbox').values(values).returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /**
   * Claims due items for this dispatcher, oldest due first: at most `freeSlots(channel)` per
   * channel and `limit` in all, never from `excludeChannels` (those with no free slot here).
   * Off SQLite the candidates are read with FOR UPDATE SKIP LOCKED in a READ COMMITTED
   * transaction: dispatchers polling together take different rows, where a plain read gave them
   * the same oldest ones and all but one claimed nothing that poll (READ COMMITTED: no gap locks,
   * so MySQL/MariaDB go on inserting new outbox rows meanwhile). The UPDATE still re-checks
   * `status = 'pending'`: each row goes to exactly one dispatcher either way.
   */
  async claimDue(options: ClaimOptions): Promise<OutboxItem[]> {
    if (this.dialect === 'sqlite') return this.claimWith(this.db, options, false);
    return this.db.transaction().setIsolationLevel('read committed').execute((trx) => this.claimWith(trx, options, true));
  }

  private async claimWith(db: Executor, options: ClaimOptions, lock: boolean): Promise<OutboxItem[]> {
    let candidates = db.selectFrom('notification_outbox').select(['id', 'channel_id'])
      .where('status', '=', 'pending').where('next_attempt_at', '<=', options.now);
    if (options.excludeChannels.length > 0) candidates = candidates.where('channel_id', 'not in', options.excludeChannels);
    candidates = candidates.orderBy('next_attempt_at').orderBy('id').limit(options.limit);
    if (lock) candidates = candidates.forUpdate().skipLocked();
    const rows = await candidates.execute();
    const taken = new Map<string, number>();
    const ids: number[] = [];
    for (const row of rows) {
      const n = taken.get(row.channel_id) ?? 0;
      if (n >= options.freeSlots(row.channel_id)) continue;
      taken.set(row.channel_id, n + 1);
      ids.push(Number(row.id));
    }
    if (ids.length === 0) return [];
    const token = randomUUID();
    ids.sort((a, b) => a - b);
    const claim = db.updateTable('notification_outbox')
      .set({ status: 'sending', claimed_by: options.instanceId, claim_token: token, claim_expires_at: options.now + options.leaseMs })
      .where('id', 'in', ids).where('status', '=', 'pending');
    if (this.dialect !== 'mysql') {
      // The claimed rows come back from the UPDATE itself (in no particular order).
      return (await claim.returningAll().execute()).map(toItem).sort((a, b) => a.id - b.id);
    }
    await claim.execute();
    const claimed = await db.selectFrom('notification_outbox').selectAll().where('claim_token', '=', token).orderBy('id').execute();
    return claimed.map(toItem);
  }

  /** Items whose lease ran out (their dispatcher died mid-send) go back to pending. */
  async releaseExpired(now: number): Promise<number> {
    const result = await this.db.updateTable('notification_outbox')
      .set({ status: 'pending', claimed_by: null, claim_token: null, claim_expires_at: null })
      .where('status', '=', 'sending').where('claim_expires_at', '<', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Hands claimed items back (a stopping dispatcher that did not start them). */
  async unclaim(ids: number[], instanceId: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('notification_outbox')
      .set({ status: 'pending', claimed_by: null, claim_token: null, claim_expires_at: null })
      .where('id', 'in', ids).where('status', '=', 'sending').where('claimed_by', '=', instanceId)
      .execute();
  }

  /** Outcome of an attempt on a claimed item; only the claim holder may settle it. */
  async settle(id: number, instanceId: string, outcome: { status: 'sent' | 'pending' | 'failed'; at: number; nextAttemptAt?: number; error: string | null }): Promise<boolean> {
    const result = await this.db.updateTable('notification_outbox')
      .set({
        status: outcome.status,
        attempts: sql<number>`attempts + 1`,
        last_error: outcome.error,
        claimed_by: null, claim_token: null, claim_expires_at: null,
        ...(outcome.status === 'sent' && { sent_at: outcome.at }),
        ...(outcome.nextAttemptAt !== undefined && { next_attempt_at: outcome.nextAttemptAt }),
      })
      .where('id', '=', id).where('status', '=', 'sending').where('claimed_by', '=', instanceId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** settle() for many delivered items in one statement; returns how many this claimer settled. */
  async settleSent(ids: number[], instanceId: string, at: number): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db.updateTable('notification_outbox')
      .set({ status: 'sent', attempts: sql<number>`attempts + 1`, last_error: null, sent_at: at, claimed_by: null, claim_token: null, claim_expires_at: null })
      .where('id', 'in', ids).where('status', '=', 'sending').where('claimed_by', '=', instanceId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Which of these items are not (yet) sent. */
  async notSentOf(ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('notification_outbox').select('id').where('id', 'in', ids).where('status', '!=', 'sent').execute();
    return new Set(rows.map((r) => Number(r.id)));
  }

  async addAttempts(attempts: Omit<DeliveryAttempt, 'id'>[]): Promise<void> {
    if (attempts.length === 0) return;
    await this.db.insertInto('notification_attempts').values(attempts.map((attempt) => ({
      outbox_id: attempt.outboxId, at: attempt.at, duration_ms: Math.round(attempt.durationMs), ok: attempt.ok ? 1 : 0,
      status_code: attempt.statusCode, error: attempt.error, permanent: attempt.permanent ? 1 : 0, instance_id: attempt.instanceId,
    }))).execute();
  }

  /** Deletes finished items (sent or failed) created before `before`, with their attempts, in batches. */
  async pruneFinished(before: number, batch = 1000): Promise<number> {
    let deleted = 0;
    for (;;) {
      const ids = (await this.db.selectFrom('notification_outbox').select('id')
        .where('status', 'in', ['sent', 'failed']).where('created_at', '<', before).limit(batch).execute()).map((r) => Number(r.id));
      if (ids.length === 0) return deleted;
      await this.db.deleteFrom('notification_attempts').where('outbox_id', 'in', ids).execute();
      const result = await this.db.deleteFrom('notification_outbox').where('id', 'in', ids).executeTakeFirst();
      deleted += Number(result.numDeletedRows);
      if (ids.length < batch) return deleted;
    }
  }

  async findById(id: number): Promise<OutboxItem | undefined> {
    const row = await this.db.selectFrom('notification_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toItem(row);
  }

  /** Newest first, keyset-paginated by id. */
  async listForChannel(channelId: string, page: { limit: number; beforeId?: number; status?: OutboxStatus }): Promise<OutboxItem[]> {
    let q = this.db.selectFrom('notification_outbox').selectAll().where('channel_id', '=', channelId);
    if (page.beforeId !== undefined) q = q.where('id', '<', page.beforeId);
    if (page.status) q = q.where('status', '=', page.status);
    return (await q.orderBy('id', 'desc').limit(page.limit).execute()).map(toItem);
  }

  async listForService(serviceId: string): Promise<OutboxItem[]> {
    return (await this.db.selectFrom('notification_outbox').selectAll().where('service_id', '=', serviceId).orderBy('id').execute()).map(toItem);
  }

  async attemptsFor(outboxIds: number[]): Promise<DeliveryAttempt[]> {
    if (outboxIds.length === 0) return [];
    const rows = await this.db.selectFrom('notification_attempts').selectAll().where('outbox_id', 'in', outboxIds).orderBy('id').execute();
    return rows.map(toAttempt);
  }
}
