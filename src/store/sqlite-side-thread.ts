// A worker thread with a second connection to the same SQLite file, for database work that would
// otherwise hold the event loop. SQLite runs in the thread that calls it; this thread gives the
// process a second core for it. It starts when asked (the heartbeats feature) or with the first
// task: a process that never needs it, like most tests and the CLI, pays nothing (a worker costs
// ~17 MB and a start-up).
//
// 1. Checkpoints. Left to itself, SQLite checkpoints inside whichever COMMIT pushes the log past
//    1,000 pages: that COMMIT copies the pages back into the database file and fsyncs it, on the
//    event loop (measured at about half the cost of a batch of heartbeat check-ins). Here a
//    PASSIVE checkpoint, which never blocks writers, runs once a second and copies each hot page
//    once. If the thread cannot run, the connection goes back to automatic checkpoints.
// 2. Tasks. A feature can hand over a whole unit of work: a module whose `runTask(db, input)` the
//    thread runs in one IMMEDIATE transaction and whose result comes back when it is committed
//    (the heartbeat check-in fast path). Two connections now write, so the main one begins its
//    transactions IMMEDIATE too (connect.ts): the write lock is taken at BEGIN, never halfway.
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

export interface SideThreadOptions {
  checkpointEveryMs?: number;
  /** The main connection's `synchronous` setting, for the thread's own connection. */
  synchronous?: 'NORMAL' | 'FULL';
  onError?: (message: string) => void;
}

export interface SqliteSideThread {
  /** Runs the `runTask` export of the module at `moduleUrl` with `input` (JSON data), in one transaction. */
  run<O>(moduleUrl: string, input: unknown): Promise<O>;
  /** False once the thread has failed: callers then do the work themselves. */
  readonly alive: boolean;
  /** True once the thread has started and loaded the modules given to `start`. */
  readonly ready: boolean;
  /**
   * Starts the thread and loads these task modules (the first `run` starts it too); until then
   * SQLite checkpoints as usual. Callers that must not wait for the start check `ready`.
   */
  start(taskModules?: string[]): void;
  /** Takes a last checkpoint and ends the thread; call before closing the main connection. */
  stop(): Promise<void>;
}

type Reply = { id: number; output?: string; error?: string } | { checkpointError: string } | { stopped: true } | { ready: true };

/** The worker's entry: the compiled .js in production, the .ts source under tsx (tests, dev). */
function bootSource(): string {
  const isTypeScript = import.meta.url.endsWith('.ts');
  const entry = new URL(`./sqlite-side-thread-worker.${isTypeScript ? 'ts' : 'js'}`, import.meta.url).href;
  if (!isTypeScript) return `import(${JSON.stringify(entry)})`;
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
}

export function createSideThread(sqlite: SQLite.Database, file: string, options: SideThreadOptions = {}): SqliteSideThread {
  const onError = options.onError ?? ((message: string) => console.error(`SQLite side thread: ${message}`));
  const pending = new Map<number, { resolve(output: unknown): void; reject(err: Error): void }>();
  let worker: Worker | undefined;
  let nextId = 1;
  let alive = true;
  let ready = false;
  let onStopped: (() => void) | undefined;

  const fail = (message: string) => {
    if (!alive) return;
    alive = false;
    ready = false;
    onError(`${message}; SQLite checkpoints automatically again and the main thread does all the work`);
    if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
    for (const waiter of pending.values()) waiter.reject(new Error(`the SQLite side thread stopped: ${message}`));
    pending.clear();
  };
  const onReply = (reply: Reply) => {
    if ('stopped' in reply) return onStopped?.();
    if ('ready' in reply) {
      ready = alive;
      return;
    }
    if ('checkpointError' in reply) return onError(`checkpoint failed: ${reply.checkpointError}`);
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error !== undefined) waiter?.reject(new Error(reply.error));
    else waiter?.resolve(reply.output === undefined ? undefined : JSON.parse(reply.output));
  };
  const start = (taskModules: string[] = []): Worker => {
    if (worker) return worker;
    sqlite.pragma('wal_autocheckpoint = 0');
    // After a checkpoint the log restarts from its beginning; this trims a log that once grew large.
    sqlite.pragma('journal_size_limit = 67108864');
    worker = new Worker(bootSource(), { eval: true, workerData: { file, taskModules, checkpointEveryMs: options.checkpointEveryMs ?? 1000, synchronous: options.synchronous ?? 'NORMAL' } });
    worker.unref(); // never keeps the process alive on its own
    worker.on('message', onReply);
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => {
      fail(`exited with code ${code}`);
      onStopped?.();
    });
    return worker;
  };

  return {
    get alive() {
      return alive;
    },
    get ready() {
      return ready;
    },
    start(taskModules) {
      if (alive) start(taskModules);
    },
    run<O>(moduleUrl: string, input: unknown): Promise<O> {
      if (!alive) return Promise.reject(new Error('the SQLite side thread is not running'));
      const id = nextId++;
      const running = start();
      return new Promise<O>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (output: unknown) => void, reject });
        // Inputs and outputs cross as JSON text: for arrays of many small objects, structured
        // cloning cost ~9 µs per object each way (measured), JSON text a fraction of that.
        running.postMessage({ type: 'run', id, moduleUrl, input: JSON.stringify(input) });
      });
    },
    stop: () => new Promise<void>((resolve) => {
      const running = worker;
      if (!alive || !running) return resolve();
      onStopped = () => {
        onStopped = undefined;
        alive = false;
        ready = false;
        void running.terminate().finally(resolve);
      };
      running.postMessage({ type: 'stop' });
    }),
  };
}
