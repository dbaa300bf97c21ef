// Waits for a socket to reach a state ('connect', 'secureConnect') within the check's deadline.
import type { Socket } from 'node:net';
import { describeNetworkError } from './network-errors.js';
import type { Deadline } from './deadline.js';

/** Null once `event` fires; otherwise the sentence for the error or the timeout. */
export function awaitSocket(socket: Socket, event: 'connect' | 'secureConnect', deadline: Deadline): Promise<string | null> {
  return new Promise((resolve) => {
    const finish = (failure: string | null) => {
      deadline.signal.removeEventListener('abort', onAbort);
      resolve(failure);
    };
    const onAbort = () => finish(deadline.timedOutDetail);
    if (deadline.signal.aborted) return onAbort();
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    socket.once(event, () => finish(null));
    // 'on', not 'once': a late second error must not become an uncaught exception.
    socket.on('error', (err) => finish(describeNetworkError(err)));
  });
}
