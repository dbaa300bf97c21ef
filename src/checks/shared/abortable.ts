// For client libraries that take no AbortSignal (database drivers, brokers): the check must still
// end at its deadline, so we stop waiting, tear the client down, and let the abandoned work settle
// in the background without an unhandled rejection.

/**
 * Resolves or rejects like `work`, or rejects with the signal's reason as soon as `signal` aborts;
 * `onAbort` then runs once, to destroy whatever `work` was waiting on.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal, onAbort?: () => void): Promise<T> {
  work.catch(() => {});
  if (signal.aborted) {
    onAbort?.();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort?.();
      reject(signal.reason);
    };
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(err);
      },
    );
  });
}
