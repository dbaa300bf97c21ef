// A signal that aborts when its parent does or after `ms`, whichever comes first.
//
// Why not AbortSignal.any([parent, AbortSignal.timeout(ms)]): on Node 20, any() holds its sources
// weakly, and a timeout signal nothing else refers to is collected at the next garbage collection
// and never fires. Measured: after a gc(), such a signal was still not aborted long past its time,
// and a delivery to a server that answered one byte every 100 ms hung past its 2 s deadline until
// killed at 30 s. Here the timer's closure holds the controller, so the deadline always fires.
export interface DeadlineSignal {
  signal: AbortSignal;
  /** Stops the timer and lets go of the parent; call it when the work is done. */
  clear(): void;
}

export function deadlineSignal(ms: number, parent?: AbortSignal): DeadlineSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')), ms);
  const followParent = () => controller.abort(parent?.reason);
  if (parent?.aborted) followParent();
  else parent?.addEventListener('abort', followParent, { once: true });
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', followParent);
    },
  };
}
