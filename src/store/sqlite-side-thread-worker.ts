// The SQLite side thread itself (see sqlite-side-thread.ts): its own connection to the database
// file and a PASSIVE checkpoint once a period. Under WAL a checkpoint syncs the log and the file
// whatever `synchronous` says (unless OFF), so this connection needs no setting of its own.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const port = parentPort!;
const { file, checkpointEveryMs, restartAfterFrames } = workerData as { file: string; checkpointEveryMs: number; restartAfterFrames: number };
const db = new SQLite(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
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

const timer = setInterval(periodic, checkpointEveryMs);
port.on('message', (message: { type: 'stop' | 'catchUp' }) => {
  if (message.type === 'catchUp') {
    checkpoint();
    port.postMessage({ caughtUp: true });
    return;
  }
  clearInterval(timer);
  checkpoint();
  db.close();
  port.postMessage({ stopped: true });
});
