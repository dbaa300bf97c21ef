// A worker thread with a second connection to the same SQLite file, to checkpoint off the event
// loop. Left to itself, SQLite checkpoints inside whichever COMMIT pushes the log past 1,000
// pages: that COMMIT copies the pages back into the database file and fsyncs it, on the event loop
// (measured at about half the cost of a batch of heartbeat check-ins). Here a PASSIVE checkpoint,
// which never blocks writers, runs twice a second and copies each hot page once. If the thread
// cannot run, the connection goes back to automatic checkpoints. Twice, not once: a checkpoint
// syncs the log, and a COMMIT writing a log page under writeback waits for the disk; smaller syncs
// halved the event loop's worst stalls under load (bench/README.md), at no cost measured.
// A checkpoint that runs beside a writer never catches up with it, and SQLite only starts the log
// again from its beginning once every frame has been copied: under steady writes the log grew
// without end (1.8 GB in 17 s of check-ins), and every COMMIT paid for growing the file (a quarter
// of the event loop's time went to the kernel zeroing the new pages). So when a checkpoint finds the
// log long (it has not started again since), the main thread holds its writers back (holdWriters: queries
// wait, the event loop does not) while the thread copies the last few frames and then writes the
// first frame of the restarted log itself (the fsync SQLite makes then stays off the event loop);
// the next COMMIT appends to it, over pages the file already has.
// It starts when asked (the heartbeats feature): a process that never needs it, like most tests
// and the CLI, pays nothing (a worker costs ~17 MB and a start-up).
// Writes stay on the main connection. The thread once also ran the heartbeat check-in writes; the
// hand-over (a message each way, JSON both ways) cost more than it saved on two cores, where the
// load generator, the event loop and the thread compete: 14,200 against 18,400 check-ins/s written
// on the event loop (bench/README.md).
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

export interface SideThreadOptions {
  checkpointEveryMs?: number;
  /** A log this many frames long or longer (since it last started again) is caught up with writers held. */
  restartAfterFrames?: number;
  /** The log file is cut back to this many bytes when it starts again (journal_size_limit; 64 MB). */
  journalSizeLimit?: number;
  /** Runs `work` while the main connection runs no query or transaction (Kysely's connection lock). */
  holdWriters?: (work: () => Promise<void>) => Promise<void>;
  onError?: (message: string) => void;
}

export interface SqliteSideThread {
  /** False once the thread has failed (SQLite then checkpoints automatically again). */
  readonly alive: boolean;
  /** Starts the thread; until then SQLite checkpoints as usual. */
  start(): void;
  /** Takes a last checkpoint and ends the thread; call before closing the main connection. */
  stop(): Promise<void>;
}

type Reply = { checkpointError: string } | { stopped: true } | { catchUpWanted: true } | { caughtUp: true };

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
  let worker: Worker | undefined;
  let alive = true;
  let onStopped: (() => void) | undefined;
  /** Set while writers are held for a catch-up: releases them. */
  let onCaughtUp: (() => void) | undefined;

  const releaseWriters = () => {
    onCaughtUp?.();
    onCaughtUp = undefined;
  };
  const fail = (message: string) => {
    releaseWriters();
    if (!alive) return;
    alive = false;
    onError(`${message}; SQLite checkpoints automatically again`);
    if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
  };
  const catchUp = () => {
    const running = worker;
    if (!options.holdWriters || !running || onCaughtUp || !alive) return;
    options.holdWriters(() => new Promise<void>((resolve) => {
      onCaughtUp = resolve;
      running.postMessage({ type: 'catchUp' });
    })).catch((err: unknown) => onError(`could not hold the writers: ${err instanceof Error ? err.message : String(err)}`));
  };
  const onReply = (reply: Reply) => {
    if ('stopped' in reply) return onStopped?.();
    if ('catchUpWanted' in reply) return catchUp();
    if ('caughtUp' in reply) return releaseWriters();
    onError(`checkpoint failed: ${reply.checkpointError}`);
  };
  const start = () => {
    if (worker) return;
    sqlite.pragma('wal_autocheckpoint = 0');
    // After a checkpoint the log restarts from its beginning; the connection that restarts it
    // (usually the thread, see the worker's restartLog) trims a log that once grew large.
    const journalSizeLimit = options.journalSizeLimit ?? 64 * 1024 * 1024;
    sqlite.pragma(`journal_size_limit = ${journalSizeLimit}`);
    worker = new Worker(bootSource(), { eval: true, workerData: {
      file, checkpointEveryMs: options.checkpointEveryMs ?? 500, restartAfterFrames: options.restartAfterFrames ?? 1000, journalSizeLimit,
    } });
    worker.unref(); // never keeps the process alive on its own
    worker.on('message', onReply);
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => {
      fail(`exited with code ${code}`);
      onStopped?.();
    });
  };

  return {
    get alive() {
      return alive;
    },
    start() {
      if (alive) start();
    },
    stop: () => new Promise<void>((resolve) => {
      const running = worker;
      if (!alive || !running) return resolve();
      onStopped = () => {
        onStopped = undefined;
        alive = false;
        void running.terminate().finally(resolve);
      };
      running.postMessage({ type: 'stop' });
    }),
  };
}
