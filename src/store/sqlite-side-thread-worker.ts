// The SQLite side thread itself (see sqlite-side-thread.ts): its own connection to the database
// file, a checkpoint once a period, and tasks run one at a time, each in one IMMEDIATE
// transaction. Messages are handled strictly in order, so `stop` comes after every task sent
// before it.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

/** What a task module exports. */
export interface SideThreadTaskModule {
  runTask(db: SQLite.Database, input: unknown): unknown;
}

type Message = { type: 'run'; id: number; moduleUrl: string; input: string } | { type: 'stop' };

const port = parentPort!;
const { file, taskModules, checkpointEveryMs, synchronous } = workerData as { file: string; taskModules: string[]; checkpointEveryMs: number; synchronous: 'NORMAL' | 'FULL' };
const db = new SQLite(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma(`synchronous = ${synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
db.pragma('foreign_keys = ON');
db.pragma('wal_autocheckpoint = 0'); // the timer below checkpoints, never a task's COMMIT

const modules = new Map<string, SideThreadTaskModule>();

function checkpoint(): void {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    port.postMessage({ checkpointError: err instanceof Error ? err.message : String(err) });
  }
}

async function load(moduleUrl: string): Promise<SideThreadTaskModule> {
  let task = modules.get(moduleUrl);
  if (!task) {
    task = (await import(moduleUrl)) as SideThreadTaskModule;
    modules.set(moduleUrl, task);
  }
  return task;
}

async function handle(message: Message): Promise<void> {
  if (message.type === 'stop') {
    clearInterval(timer);
    checkpoint();
    db.close();
    port.postMessage({ stopped: true });
    return;
  }
  try {
    const task = await load(message.moduleUrl);
    const input: unknown = JSON.parse(message.input);
    const run = db.transaction(() => task.runTask(db, input));
    port.postMessage({ id: message.id, output: JSON.stringify(run.immediate()) });
  } catch (err) {
    port.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) });
  }
}

const timer = setInterval(checkpoint, checkpointEveryMs);
// Ready once the task modules are loaded: the first task then runs at once.
let queue = Promise.all(taskModules.map(load)).then(() => port.postMessage({ ready: true }));
port.on('message', (message: Message) => {
  queue = queue.then(() => handle(message));
});
