// How providers read an alert's kind: does it open/repeat a problem or end one?
import type { AlertEvent } from '../types.js';

/** Whether the event ends a problem (resolve/close) rather than opens or repeats one. */
export function isRecovery(event: AlertEvent): boolean {
  return event.kind === 'up' || (event.kind === 'settled' && event.state === 'up');
}

/** The configured mention followed by a space for problem alerts; nothing for recoveries and tests. */
export function mentionFor(event: AlertEvent, mention: string | undefined): string {
  return mention && !isRecovery(event) && event.kind !== 'test' ? `${mention} ` : '';
}
