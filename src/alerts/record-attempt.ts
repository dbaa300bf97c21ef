// Writes the outcomes of attempts in ONE transaction (the dispatcher groups those that finish
// together): the attempts log and each outbox row's new status. Each channel's last error / last
// success is updated after that transaction, in a statement of its own: on MySQL a state change
// inserting outbox rows holds a shared lock on their channel row (foreign key check), and an
// update of that row inside our transaction could deadlock with it.
import type { DataAccess } from '../store/data-access.js';
import type { AttemptOutcome } from './deliver.js';
import type { SecretBox } from './secret-box.js';
import { ChannelRepository } from './store/channel-repository.js';
import { OutboxRepository } from './store/outbox-repository.js';
import { retryOnDeadlock } from '../store/retry-on-deadlock.js';

export interface SettleDecision {
  status: 'sent' | 'pending' | 'failed';
  nextAttemptAt?: number;
}

export interface AttemptRecord {
  outboxId: number;
  channelId: string;
  instanceId: string;
  outcome: AttemptOutcome;
  decision: SettleDecision;
}

/**
 * Returns, per record, whether its outbox row was settled: false when the claim was lost (the
 * lease expired and another instance took the row), which then keeps its status. The attempt is
 * logged either way: it did happen.
 */
export async function recordAttempts(data: DataAccess, box: SecretBox, records: AttemptRecord[]): Promise<boolean[]> {
  // Rows are locked in id order, the same order claims use, which makes deadlocks rare; the rest are retried.
  const sorted = [...records].sort((a, b) => a.outboxId - b.outboxId);
  const written = await retryOnDeadlock(() => writeSorted(data, sorted));
  const lastOutcome = new Map<string, AttemptOutcome>();
  for (const record of sorted) if (written.get(record.outboxId)) lastOutcome.set(record.channelId, record.outcome);
  const channels = new ChannelRepository(data.db, box);
  for (const [channelId, outcome] of lastOutcome) await channels.recordOutcome(channelId, outcome.at, outcome.ok ? null : outcome.error);
  return records.map((r) => written.get(r.outboxId) ?? false);
}

async function writeSorted(data: DataAccess, records: AttemptRecord[]): Promise<Map<number, boolean>> {
  return data.transaction(async (_repos, trx) => {
    const outbox = new OutboxRepository(trx, data.dialect);
    const written = new Map<number, boolean>();
    // Deliveries, the common case, are settled with one statement per claimer.
    const sent = new Map<string, AttemptRecord[]>();
    for (const record of records) {
      if (record.decision.status === 'sent') {
        sent.set(record.instanceId, [...(sent.get(record.instanceId) ?? []), record]);
        continue;
      }
      const { outboxId, instanceId, outcome, decision } = record;
      written.set(outboxId, await outbox.settle(outboxId, instanceId, {
        status: decision.status, at: outcome.at, nextAttemptAt: decision.nextAttemptAt, error: outcome.error,
      }));
    }
    for (const [instanceId, group] of sent) {
      const at = Math.max(...group.map((r) => r.outcome.at + Math.round(r.outcome.durationMs)));
      const settled = await outbox.settleSent(group.map((r) => r.outboxId), instanceId, at);
      const lost = settled === group.length ? new Set<number>() : await outbox.notSentOf(group.map((r) => r.outboxId));
      for (const r of group) written.set(r.outboxId, !lost.has(r.outboxId));
    }
    await outbox.addAttempts(records.map(({ outboxId, instanceId, outcome }) => ({
      outboxId, at: outcome.at, durationMs: outcome.durationMs, ok: outcome.ok, statusCode: outcome.statusCode,
      error: outcome.error, permanent: outcome.permanent, instanceId,
    })));
    return written;
  });
}
