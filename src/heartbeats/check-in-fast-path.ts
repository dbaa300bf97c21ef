// The common check-in on SQLite (a plain ping token, no change of state), run whole on the
// SQLite side thread (store/sqlite-side-thread.ts) so that the event loop only parses HTTP:
// read the rows, apply the signals, write rows and pings, in one IMMEDIATE transaction.
//
// Anything that changes a state must go through StateTransitions on the main thread (events,
// incidents, the notification outbox, page caches), so such a check-in is handed back
// ('main'), and with it every later check-in of that service in the batch, to keep their order.
// The rows this task wrote are committed before the main thread reads them again.
import type SQLite from 'better-sqlite3';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from 'kysely';
import type { Database } from '../store/schema.js';
import type { CheckIn } from './check-in.js';
import { sqliteInsert, sqliteInsertParameters, sqliteUpdate, sqliteUpdateParameters, type NewPing } from './heartbeat-batch-sql.js';
import { applyOutcome, heartbeatRowFrom, selectHeartbeatsWithoutPath, stateColumns, type HeartbeatRow, type SelectedHeartbeat } from './heartbeat-row.js';
import { applySignal } from './signals.js';

/** A check-in by plain ping token. */
export interface FastCheckIn extends CheckIn {
  target: { by: 'token'; token: string };
}

export type FastOutcome = { kind: 'ok'; serviceId: string } | { kind: 'unknown' } | { kind: 'main' };

export const fastPathModule = new URL(`./check-in-fast-path.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url).href;

export function isFastCheckIn(item: CheckIn): item is FastCheckIn {
  return item.target.by === 'token' && !item.target.orSlug;
}

// The main thread's query without the path (a change of state is handed back anyway), compiled
// once by Kysely (it only builds the SQL text here).
const compiler = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});
const selectByTokens = selectHeartbeatsWithoutPath(compiler)
  .where(sql<boolean>`${sql.ref('services.ping_token')} in (select value from json_each(${'[]'}))`)
  .compile();

interface Statements {
  select: SQLite.Statement;
  update: SQLite.Statement;
  insert: SQLite.Statement;
}
const prepared = new WeakMap<SQLite.Database, Statements>();

function statements(db: SQLite.Database): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = { select: db.prepare(selectByTokens.sql), update: db.prepare(sqliteUpdate), insert: db.prepare(sqliteInsert) };
    prepared.set(db, s);
  }
  return s;
}

export function runTask(db: SQLite.Database, items: FastCheckIn[]): FastOutcome[] {
  const { select, update, insert } = statements(db);
  const tokens = [...new Set(items.map((i) => i.target.token))];
  const parameters = [...selectByTokens.parameters.slice(0, -1), JSON.stringify(tokens)];
  const selected = select.all(parameters) as SelectedHeartbeat[];
  const byToken = new Map(selected.map((r) => [r.ping_token, heartbeatRowFrom(r)]));
  const handedBack = new Set<HeartbeatRow>();
  const touched = new Set<HeartbeatRow>();
  const pings: NewPing[] = [];
  const outcomes = items.map((item): FastOutcome => {
    const row = byToken.get(item.target.token);
    if (!row) return { kind: 'unknown' };
    if (handedBack.has(row)) return { kind: 'main' };
    const outcome = applySignal(row.config, row, item.signal, item.at);
    if (outcome.transition) {
      handedBack.add(row);
      return { kind: 'main' };
    }
    pings.push(applyOutcome(row, item, outcome));
    touched.add(row);
    return { kind: 'ok', serviceId: row.ref.id };
  });
  for (const row of touched) update.run(sqliteUpdateParameters({ id: row.ref.id, columns: stateColumns(row) }));
  for (const ping of pings) insert.run(sqliteInsertParameters(ping));
  return outcomes;
}
