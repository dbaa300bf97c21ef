// A check-in waits for the commit of its batch. A database that refuses or cuts connections fails
// that wait at once (503), but one that stalls (a network partition, a server frozen on I/O)
// leaves it without an end: requests and their bodies would pile up until the queue is full, and
// a script calling curl without --max-time would hang with them. Past the deadline a check-in is
// answered 503 with Retry-After. One still queued was never written. One in a batch being written
// may yet commit; a retry then stores it twice, which for a heartbeat adds a log line and changes
// no state (check-ins are at-least-once, as after any lost answer).
import { AppError } from '../domain/errors.js';

export interface Deadlined {
  /** performance.now() at submission: real time, whatever clock the app runs on. */
  since: number;
  expired?: boolean;
  reject(err: unknown): void;
}

export interface Expired<T> {
  /** The queue without the check-ins answered now. */
  queue: T[];
  queued: number;
  writing: number;
}

/** Answers 503 to every check-in submitted before `cutoff`; the queue is in submission order. */
export function expireOverdue<T extends Deadlined>(queue: T[], writing: Iterable<T[]>, cutoff: number, waitedMs: number): Expired<T> {
  const seconds = Math.round(waitedMs / 1000);
  let queued = 0;
  while (queued < queue.length && queue[queued].since <= cutoff) queued += 1;
  for (const w of queue.slice(0, queued)) {
    w.reject(new AppError('unavailable', `the database did not answer within ${seconds} s; the check-in was not stored; try again shortly`));
  }
  let expiredWriting = 0;
  for (const batch of writing) {
    for (const w of batch) {
      if (w.expired || w.since > cutoff) continue;
      w.expired = true;
      expiredWriting += 1;
      w.reject(new AppError('unavailable', `the database did not confirm the check-in within ${seconds} s; it may still be stored; try again shortly`));
    }
  }
  return { queue: queued === 0 ? queue : queue.slice(queued), queued, writing: expiredWriting };
}
