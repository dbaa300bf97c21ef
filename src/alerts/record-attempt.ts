// Writes the outcome of one attempt in one transaction: the attempts log, the outbox row's new
// status, and the channel's last error / last success.
import type { DataAccess } from '../store/data-access.js';
import type { AttemptOutcome } from './deliver.js';
import type { SecretBox } from './secret-box.js';
import { ChannelRepository } from './store/channel-repository.js';
import { OutboxRepository } from './store/outbox-repository.js';

export interface SettleDecision {
  status: 'sent' | 'pending' | 'failed';
  nextAttemptAt?: number;
}

/** Returns false when the claim was lost (another instance settled the row): nothing is written. */
export async function recordAttempt(data: DataAccess, box: SecretBox, input: {
  outboxId: number;
  channelId: string;
  instanceId: string;
  outcome: AttemptOutcome;
  decision: SettleDecision;
}): Promise<boolean> {
  const { outcome, decision } = input;
  return data.transaction(async (_repos, trx) => {
    const outbox = new OutboxRepository(trx, data.dialect);
    const settled = await outbox.settle(input.outboxId, input.instanceId, {
      status: decision.status, at: outcome.at, nextAttemptAt: decision.nextAttemptAt, error: outcome.error,
    });
    if (!settled) return false;
    await outbox.addAttempt({
      outboxId: input.outboxId, at: outcome.at, durationMs: outcome.durationMs, ok: outcome.ok, statusCode: outcome.statusCode,
      error: outcome.error, permanent: outcome.permanent, instanceId: input.instanceId,
    });
    await new ChannelRepository(trx, box).recordOutcome(input.channelId, outcome.at, outcome.ok ? null : outcome.error);
    return true;
  });
}
