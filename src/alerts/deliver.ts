// One delivery attempt of one event to one channel: render with the channel's templates, send
// through its notifier under a deadline, and describe the outcome for the attempts log.
import { getNotifier, validateNotifierConfig } from '../notifiers/registry.js';
import { deadlineSignal } from '../notifiers/shared/deadline-signal.js';
import { renderMessage } from '../notifiers/render/render-message.js';
import type { TemplateOverrides } from '../notifiers/render/template-overrides.js';
import { DeliveryError, type AlertEvent } from '../notifiers/types.js';
import type { Channel } from './channel.js';

export interface AttemptOutcome {
  ok: boolean;
  at: number;
  durationMs: number;
  statusCode: number | null;
  /** A short sentence for the log: the receipt's detail or the error message. */
  detail: string | null;
  error: string | null;
  permanent: boolean;
  retryAfterMs: number | null;
}

export async function attemptDelivery(channel: Pick<Channel, 'type' | 'config'>, event: AlertEvent, options: { now: () => number; timeoutMs: number; signal?: AbortSignal }): Promise<AttemptOutcome> {
  const at = options.now();
  const started = performance.now();
  const done = (fields: Partial<AttemptOutcome>): AttemptOutcome => ({
    ok: false, at, durationMs: performance.now() - started, statusCode: null, detail: null, error: null, permanent: false, retryAfterMs: null, ...fields,
  });
  const notifier = getNotifier(channel.type);
  const problems = validateNotifierConfig(channel.type, channel.config);
  if (!notifier || problems.length > 0) {
    return done({ error: `channel config is not valid: ${problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`, permanent: true });
  }
  const deadline = deadlineSignal(options.timeoutMs, options.signal);
  const { signal } = deadline;
  try {
    const message = renderMessage(event, (channel.config as { template?: TemplateOverrides }).template);
    const receipt = await notifier.send({ event, message, config: channel.config }, { signal, now: options.now });
    return done({ ok: true, statusCode: receipt.status ?? null, detail: receipt.detail ?? null });
  } catch (err) {
    if (err instanceof DeliveryError) {
      return done({ error: err.message, statusCode: err.status ?? null, permanent: err.permanent, retryAfterMs: err.retryAfterMs ?? null });
    }
    // Anything else is a bug or an unexpected failure of a provider: retrying may help.
    return done({ error: `unexpected error: ${(err as Error)?.message ?? String(err)}` });
  } finally {
    deadline.clear();
  }
}
