// Delivers the outbox. Every instance runs one; they share the work through the database:
// - a poll claims due rows (conditional UPDATE, so each row has one owner) with a lease;
// - each channel has its own concurrency limit and a small local queue (rows claimed ahead, so a
//   freed slot starts the next send without a poll); rows are claimed only for a channel's free
//   places, so a slow or failing provider holds at most its own and never delays other channels;
// - a failed attempt is retried with exponential backoff, a permanent error fails the row at once;
// - rows whose lease expired (their instance died mid-send) go back to pending. That boundary is
//   at-least-once: the provider may have received the message just before the crash. Webhook
//   receivers can drop the duplicate by its X-Tocsin-Key.
import { FailureLog } from '../app/failure-log.js';
import type { Logger } from '../logger.js';
import type { DataAccess } from '../store/data-access.js';
import { defaultBackoff, nextAttemptAt, type BackoffPolicy } from './backoff.js';
import type { Channel } from './channel.js';
import { attemptDelivery, type AttemptOutcome } from './deliver.js';
import { recordAttempts, type AttemptRecord, type SettleDecision } from './record-attempt.js';
import type { SecretBox } from './secret-box.js';
import { ChannelRepository } from './store/channel-repository.js';
import { OutboxRepository, type OutboxItem } from './store/outbox-repository.js';

export interface DispatcherOptions {
  instanceId: string;
  now: () => number;
  pollIntervalMs: number;
  perChannelConcurrency: number;
  /** Rows claimed ahead per channel, as a multiple of its concurrency (queued locally). */
  prefetch: number;
  /** Rows claimed per poll at most. */
  batchSize: number;
  attemptTimeoutMs: number;
  /** How long a claim lasts; must exceed attemptTimeoutMs by a margin. */
  leaseMs: number;
  /** How long an outcome waits for others to be written in the same transaction. */
  recordDelayMs: number;
  backoff: BackoffPolicy;
}

export const defaultDispatcherOptions: Omit<DispatcherOptions, 'instanceId' | 'now'> = {
  pollIntervalMs: 100,
  perChannelConcurrency: 8,
  // A backlog is claimed a few rounds ahead: fewer polls per send (each poll is a few queries).
  prefetch: 4,
  batchSize: 200,
  attemptTimeoutMs: 15_000,
  leaseMs: 60_000,
  recordDelayMs: 10,
  backoff: defaultBackoff,
};

export class Dispatcher {
  private readonly options: DispatcherOptions;
  private readonly inFlight = new Map<string, number>();
  private readonly queued = new Map<string, { item: OutboxItem; channel: Channel | undefined }[]>();
  private readonly sends = new Set<Promise<void>>();
  private readonly toRecord: { record: AttemptRecord; resolve(written: boolean): void; reject(err: unknown): void }[] = [];
  private recording: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private failedPolls = 0;
  private readonly pollFailures: FailureLog;
  private lastRelease = 0;
  private stopped = true;

  constructor(private readonly data: DataAccess, private readonly box: SecretBox, private readonly logger: Logger, options: Partial<DispatcherOptions> & Pick<DispatcherOptions, 'instanceId' | 'now'>) {
    this.options = { ...defaultDispatcherOptions, ...options };
    this.pollFailures = new FailureLog(logger, 'notification dispatcher poll');
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling, hands back the rows queued here, waits for the attempts in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
    const unsent = [...this.queued.values()].flat().map((q) => q.item.id);
    this.queued.clear();
    if (unsent.length > 0) await new OutboxRepository(this.data.db, this.data.dialect).unclaim(unsent, this.options.instanceId);
    await Promise.allSettled([...this.sends]);
  }

  /** Rows of a channel held here: sending or queued. */
  private held(channelId: string): number {
    return (this.inFlight.get(channelId) ?? 0) + (this.queued.get(channelId)?.length ?? 0);
  }

  /** Asks for a poll as soon as possible (a slot freed, or a row was just enqueued here). */
  wake(): void {
    if (this.stopped) return;
    if (this.polling) this.pollAgain = true;
    else this.schedule(0);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.runPoll(), delayMs);
  }

  private runPoll(): void {
    if (this.stopped || this.polling) return;
    this.polling = this.poll()
      .then(() => { this.failedPolls = 0; this.pollFailures.succeeded(); }, (err: unknown) => {
        // The database is away: say so once in a while, and poll less often until it is back.
        this.failedPolls += 1;
        this.pollFailures.failed(err);
      })
      .finally(() => {
        this.polling = undefined;
        if (this.stopped) return;
        const again = this.pollAgain && this.failedPolls === 0;
        this.pollAgain = false;
        this.schedule(again ? 0 : this.options.pollIntervalMs * Math.min(2 ** this.failedPolls, 50));
      });
  }

  /** One poll: release expired claims now and then, claim due rows for free slots, start sending. */
  async poll(): Promise<number> {
    const now = this.options.now();
    const outbox = new OutboxRepository(this.data.db, this.data.dialect);
    if (now - this.lastRelease >= Math.min(5_000, this.options.leaseMs / 4)) {
      this.lastRelease = now;
      const released = await outbox.releaseExpired(now);
      if (released > 0) this.logger.warn({ released }, 'notification claims expired (an instance died mid-send?); retrying them');
    }
    const capacity = this.options.perChannelConcurrency * this.options.prefetch;
    const full = [...new Set([...this.inFlight.keys(), ...this.queued.keys()])].filter((id) => this.held(id) >= capacity);
    // A few channels' worth of candidates: a channel with free places at the head of the queue can
    // hide others' rows for one poll, and the next poll (at once) skips it once it is full.
    const claimed = await outbox.claimDue({
      now, limit: Math.min(this.options.batchSize, capacity * 4), instanceId: this.options.instanceId, leaseMs: this.options.leaseMs,
      excludeChannels: full, freeSlots: (channelId) => capacity - this.held(channelId),
    });
    if (claimed.length === 0) return 0;
    const channels = new Map((await new ChannelRepository(this.data.db, this.box).findByIds([...new Set(claimed.map((c) => c.channelId))])).map((c) => [c.id, c]));
    for (const item of claimed) {
      const queue = this.queued.get(item.channelId) ?? [];
      queue.push({ item, channel: channels.get(item.channelId) });
      this.queued.set(item.channelId, queue);
    }
    for (const channelId of new Set(claimed.map((c) => c.channelId))) this.pump(channelId);
    return claimed.length;
  }

  /** Starts queued sends of a channel while it has free slots; asks for more rows when running low. */
  private pump(channelId: string): void {
    const queue = this.queued.get(channelId) ?? [];
    while (queue.length > 0 && (this.inFlight.get(channelId) ?? 0) < this.options.perChannelConcurrency) {
      const next = queue.shift()!;
      this.launch(next.item, next.channel);
    }
    if (queue.length === 0) this.queued.delete(channelId);
    if (queue.length < this.options.perChannelConcurrency) this.refill();
  }

  /**
   * A queue runs low: poll now, unless a poll is under way (it claims for the places free when
   * its candidates arrive, and the pump after it asks again). Unlike wake(), no poll is queued
   * behind it: during a backlog that would be one more poll per few sends.
   */
  private refill(): void {
    if (!this.stopped && !this.polling) this.schedule(0);
  }

  private launch(item: OutboxItem, channel: Channel | undefined): void {
    this.inFlight.set(item.channelId, (this.inFlight.get(item.channelId) ?? 0) + 1);
    let slotFreed = false;
    const freeSlot = () => {
      if (slotFreed) return;
      slotFreed = true;
      const left = (this.inFlight.get(item.channelId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(item.channelId, left);
      else this.inFlight.delete(item.channelId);
      if (!this.stopped) this.pump(item.channelId);
    };
    const send = this.send(item, channel, freeSlot)
      .catch((err: unknown) => this.logger.error({ err, outboxId: item.id }, 'recording a notification attempt failed; the claim will expire and it will be retried'))
      .finally(() => {
        freeSlot();
        this.sends.delete(send);
      });
    this.sends.add(send);
  }

  /** The slot is freed as soon as the provider answered; recording the outcome is grouped. */
  private async send(item: OutboxItem, channel: Channel | undefined, freeSlot: () => void): Promise<void> {
    const { now, attemptTimeoutMs, instanceId } = this.options;
    const outcome: AttemptOutcome = !channel || !channel.enabled
      ? { ok: false, at: now(), durationMs: 0, statusCode: null, detail: null, error: channel ? 'channel is disabled' : 'channel no longer exists', permanent: true, retryAfterMs: null }
      : await attemptDelivery(channel, item.event, { now, timeoutMs: attemptTimeoutMs });
    freeSlot();
    const decision = this.decide(item, outcome);
    const recorded = await this.record({ outboxId: item.id, channelId: item.channelId, instanceId, outcome, decision });
    const log = { outboxId: item.id, channelId: item.channelId, kind: item.kind, status: decision.status, error: outcome.error };
    if (!recorded) this.logger.warn(log, 'lost the claim on a notification before recording its attempt');
    else if (decision.status === 'failed') this.logger.warn(log, 'notification failed for good');
    else if (decision.status === 'pending') this.logger.info({ ...log, nextAttemptAt: decision.nextAttemptAt }, 'notification attempt failed; will retry');
  }

  /**
   * Group commit: outcomes that arrive within recordDelayMs of each other, or while a transaction
   * is being written, go in one transaction. The slot was freed already; only the log waits.
   */
  private record(record: AttemptRecord): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.toRecord.push({ record, resolve, reject });
      this.recording ??= new Promise((gathered) => setTimeout(gathered, this.options.recordDelayMs))
        .then(() => this.flushRecords())
        .finally(() => { this.recording = undefined; });
    });
  }

  private async flushRecords(): Promise<void> {
    while (this.toRecord.length > 0) {
      const batch = this.toRecord.splice(0, 500);
      try {
        const written = await recordAttempts(this.data, this.box, batch.map((b) => b.record));
        batch.forEach((b, i) => b.resolve(written[i]));
      } catch (err) {
        batch.forEach((b) => b.reject(err));
      }
    }
  }

  private decide(item: OutboxItem, outcome: AttemptOutcome): SettleDecision {
    if (outcome.ok) return { status: 'sent' };
    if (outcome.permanent) return { status: 'failed' };
    const next = nextAttemptAt(this.options.backoff, {
      attempts: item.attempts + 1, createdAt: item.createdAt, now: this.options.now(), retryAfterMs: outcome.retryAfterMs,
    });
    return next === null ? { status: 'failed' } : { status: 'pending', nextAttemptAt: next };
  }
}
