import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { createSideThread } from './sqlite-side-thread.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function openWal(file: string): SQLite.Database {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

function fill(db: SQLite.Database, rows: number): void {
  const insert = db.prepare('insert into t (v) values (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run('x'.repeat(200));
  })();
}

describe('the SQLite side thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-ckpt-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps commits free of checkpoints and copies the log into the database file from its worker', async () => {
    const file = join(dir, 'a.db');
    const db = openWal(file);
    db.exec('create table t (id integer primary key, v text)');
    const checkpointer = createSideThread(db, file, { checkpointEveryMs: 50 });
    assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000, 'nothing changes before the thread starts');
    checkpointer.start();
    assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
    const before = statSync(file).size;
    fill(db, 20_000); // ~5 MB of log: far past the 1,000 pages of an automatic checkpoint
    assert.equal(statSync(file).size, before, 'the COMMIT itself did not checkpoint');
    let grown = false;
    for (let i = 0; i < 100 && !grown; i++) {
      await wait(50);
      grown = statSync(file).size > before + 4_000_000;
    }
    assert.ok(grown, 'the worker copied the log into the database file');
    await checkpointer.stop();
    assert.equal((db.prepare('select count(*) as n from t').get() as { n: number }).n, 20_000);
    db.close();
  });

  it('under steady writes, holds the writers back now and then so that the log starts again and stays short', async () => {
    const file = join(dir, 'd.db');
    const db = openWal(file);
    db.exec('create table t (id integer primary key, v text)');
    // The main connection's lock, as Kysely's connection lock is in Tocsin: one holder at a time.
    let chain = Promise.resolve();
    let holds = 0;
    const holdWriters = (work: () => Promise<void>) => {
      const run = chain.then(() => { holds += 1; return work(); });
      chain = run.catch(() => undefined);
      return run;
    };
    // The log file is cut back each time it starts again, so its size is what was written since.
    const checkpointer = createSideThread(db, file, { checkpointEveryMs: 20, restartAfterFrames: 50, holdWriters, journalSizeLimit: 0 });
    checkpointer.start();
    let written = 0;
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      await holdWriters(async () => fill(db, 50));
      written += 50;
      await new Promise((resolve) => setTimeout(resolve, 1)); // the event loop's gaps, where the thread's messages come in
    }
    const logBytes = statSync(`${file}-wal`).size;
    await checkpointer.stop();
    assert.ok(holds > written / 50, 'the thread held the writers at least once');
    // Without the hold, the log keeps every page written (~250 bytes a row): 25 MB against 0.2 MB.
    assert.ok(logBytes < (written * 250) / 10, `log of ${logBytes} bytes after ${written} rows`);
    assert.equal((db.prepare('select count(*) as n from t').get() as { n: number }).n, written);
    db.close();
  });

  it('starts the log again itself while the writers are held, so no COMMIT of theirs has to sync it', async () => {
    const file = join(dir, 'e.db');
    const db = openWal(file);
    db.exec('create table t (id integer primary key, v text)');
    // Salt-1 of the log's header changes each time the log starts again from its beginning.
    const salt = () => readFileSync(`${file}-wal`).readUInt32BE(16);
    let chain = Promise.resolve();
    const locked = (work: () => Promise<void>) => {
      const run = chain.then(work);
      chain = run.catch(() => undefined);
      return run;
    };
    let restartsWhileHeld = 0;
    const holdWriters = (work: () => Promise<void>) => locked(async () => {
      const before = salt();
      await work();
      if (salt() !== before) restartsWhileHeld += 1;
    });
    const checkpointer = createSideThread(db, file, { checkpointEveryMs: 20, restartAfterFrames: 50, holdWriters });
    checkpointer.start();
    // Stops at the first restart; the time limit only bounds a busy machine's wait for one.
    const until = Date.now() + 10_000;
    while (Date.now() < until && restartsWhileHeld === 0) {
      await locked(async () => fill(db, 50));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await checkpointer.stop();
    assert.ok(restartsWhileHeld > 0, 'the thread wrote the first frame of the restarted log');
    assert.equal(db.pragma('user_version', { simple: true }), 0, 'the frame it wrote changed nothing');
    db.close();
  });

  it('stops cleanly when asked twice, and after stopping the connection still works', async () => {
    const file = join(dir, 'b.db');
    const db = openWal(file);
    db.exec('create table t (id integer primary key, v text)');
    const checkpointer = createSideThread(db, file, { checkpointEveryMs: 10_000 });
    checkpointer.start();
    fill(db, 100);
    await checkpointer.stop();
    await checkpointer.stop();
    fill(db, 100);
    assert.equal((db.prepare('select count(*) as n from t').get() as { n: number }).n, 200);
    db.close();
  });

  it('falls back to automatic checkpoints when the thread cannot open the database', async () => {
    const db = openWal(join(dir, 'c.db'));
    const errors: string[] = [];
    const checkpointer = createSideThread(db, join(dir, 'missing', 'c.db'), { onError: (m: string) => errors.push(m) });
    assert.ok(checkpointer.alive);
    checkpointer.start();
    for (let i = 0; i < 100 && errors.length === 0; i++) await wait(20);
    assert.match(errors[0] ?? '', /automatically again/);
    assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000);
    assert.equal(checkpointer.alive, false);
    await checkpointer.stop();
    db.close();
  });
});
