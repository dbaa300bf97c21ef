// A task for the SQLite side thread's tests: inserts the given values into t, or throws after
// inserting them when asked to (the transaction must then leave nothing behind).
import type SQLite from 'better-sqlite3';

export function runTask(db: SQLite.Database, input: { values: string[]; fail?: boolean }): number {
  const insert = db.prepare('insert into t (v) values (?)');
  for (const v of input.values) insert.run(v);
  if (input.fail) throw new Error('task failed on purpose');
  return (db.prepare('select count(*) as n from t').get() as { n: number }).n;
}
