// The SQLite side thread itself (see sqlite-side-thread.ts): its own connection to the database
// file and a PASSIVE checkpoint once a period. Under WAL a checkpoint syncs the log and the file
// whatever `synchronous` says (unless OFF), so this connection needs no setting of its own.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const port = parentPort!;
const { file, checkpointEveryMs, restartAfterFrames, journalSizeLimit } = workerData as {
  file: string; checkpointEveryMs: number; restartAfterFrames: number; journalSizeLimit: number;
};
const db = new SQLite(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma(`journal_size_limit = ${journalSizeLimit}`); // applied by whichever connection restarts the log
db.pragma('wal_autocheckpoint = 0'); // the timer below checkpoints

/** Frames in the log and frames copied into the database file, or null if the checkpoint failed. */
function checkpoint(): { log: number; checkpointed: number } | null {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    return result;
  } catch (err) {
    port.postMessage({ checkpointError: err instanceof Error ? err.message : String(err) });
    return null;
  }
}

function periodic(): void {
  const result = checkpoint();
  // `log` counts the frames since the log last started again from its beginning. A long log means
  // writers kept appending while checkpoints copied (the frames a writer appends during a
  // checkpoint are not in its counts): only a checkpoint with no writer can catch up with them.
  if (result && result.log >= restartAfterFrames) port.postMessage({ catchUpWanted: true });
}

/**
 * Called with the main connection's writers held, after a checkpoint that copied every frame:
 * writes the header page unchanged (user_version, which nothing else uses), the first frame of
 * the restarted log. SQLite syncs a restarted log's header, and the connection that restarts it
 * pays for that fsync: here, instead of the main thread's next COMMIT, which blocked the event
 * loop until the disk answered (under a millisecond on a fast disk, far longer on a slow one).
 * No wait for the write lock (another process may hold it while our writers are held): then
 * the main thread restarts the log, as before.
 */
function restartLog(): void {
  try {
    db.pragma('busy_timeout = 0');
    db.pragma(`user_version = ${Number(db.pragma('user_version', { simple: true }))}`);
  } catch {
    // Busy: nothing was written.
  } finally {
    db.pragma('busy_timeout = 5000');
  }
}

const timer = setInterval(periodic, checkpointEveryMs);
port.on('message', (message: { type: 'stop' | 'catchUp' }) => {
  // A catch-up asked for just before the stop finds the connection closed: the writers only
  // need to be let go.
  if (!db.open) {
    if (message.type === 'catchUp') port.postMessage({ caughtUp: true });
    return;
  }
  if (message.type === 'catchUp') {
    const result = checkpoint();
    if (result && result.checkpointed === result.log) restartLog();
    port.postMessage({ caughtUp: true });
    return;
  }
  clearInterval(timer);
  checkpoint();
  db.close();
  port.postMessage({ stopped: true });
});
