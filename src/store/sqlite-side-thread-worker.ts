// The SQLite side thread itself (see sqlite-side-thread.ts): its own connection to the database
// file and a PASSIVE checkpoint once a period. Under WAL a checkpoint syncs the log and the file
// whatever `synchronous` says (unless OFF), so this connection needs no setting of its own.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const port = parentPort!;
const { file, checkpointEveryMs } = workerData as { file: string; checkpointEveryMs: number };
const db = new SQLite(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 0'); // the timer below checkpoints

function checkpoint(): void {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    port.postMessage({ checkpointError: err instanceof Error ? err.message : String(err) });
  }
}

const timer = setInterval(checkpoint, checkpointEveryMs);
port.on('message', (message: { type: 'stop' }) => {
  if (message.type !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  port.postMessage({ stopped: true });
});
