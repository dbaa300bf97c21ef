// The one call the alert dispatcher needs: checks the channel's config, renders the message with
// the channel's template overrides and hands both to the provider. A config that cannot work is
// a permanent DeliveryError: retrying would fail the same way.
import { getNotifier, validateNotifierConfig } from './registry.js';
import { renderMessage } from './render/render-message.js';
import type { TemplateOverrides } from './render/template-overrides.js';
import { DeliveryError, type AlertEvent, type DeliveryReceipt, type NotifierContext, type RenderedMessage } from './types.js';

export interface NotificationInput {
  /** Notifier type of the channel: "slack", "email"... */
  type: string;
  /** The channel's config, secrets decrypted. */
  config: unknown;
  event: AlertEvent;
}

export async function sendNotification(input: NotificationInput, ctx: NotifierContext): Promise<{ receipt: DeliveryReceipt; message: RenderedMessage }> {
  const notifier = getNotifier(input.type);
  const errors = validateNotifierConfig(input.type, input.config);
  if (!notifier || errors.length > 0) {
    const why = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
    throw new DeliveryError(`invalid ${input.type} channel config: ${why}`, { permanent: true });
  }
  const overrides = (input.config as { template?: TemplateOverrides }).template;
  const message = renderMessage(input.event, overrides);
  const receipt = await notifier.send({ event: input.event, message, config: input.config }, ctx);
  return { receipt, message };
}
