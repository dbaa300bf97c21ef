// Push services rank notifications. Problems (down, reminder, flapping, settling other than up)
// get the channel's configured priority, or the provider's "high" one; recoveries and tests the
// normal one, so that an all-clear never wakes anybody up.
import { isRecovery } from './event-kinds.js';
import type { AlertEvent } from '../types.js';

export function priorityFor(event: AlertEvent, levels: { problem: number; normal: number }, configured: number | undefined): number {
  const problem = !isRecovery(event) && event.kind !== 'test';
  return problem ? (configured ?? levels.problem) : levels.normal;
}
