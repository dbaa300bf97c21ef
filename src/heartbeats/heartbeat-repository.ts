// Storage of heartbeats: the check-in columns of services, the pings, and project ping keys.
// Methods that lock take the transaction's executor; on PostgreSQL/MySQL they lock rows so that
// several Tocsin instances sharing the database never apply the same change twice.
import { sql, type ExpressionBuilder } from 'kysely';
import type { DialectName } from '../store/database-url.js';
import type { Executor } from '../store/executor.js';
import type { Database } from '../store/schema.js';
import { prepareByName } from '../store/pg-prepared.js';
import { postgresWrite, writeHeartbeatBatch, type NewPing } from './heartbeat-batch-sql.js';
import type { HeartbeatPingTable } from './heartbeat-tables.js';
import { storedPingColumns } from './ping-inbox-mover.js';
import { heartbeatRowFrom, selectHeartbeats, stateColumns, type HeartbeatRow } from './heartbeat-row.js';

export type { HeartbeatRow, NewPing };

prepareByName(postgresWrite);

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export class HeartbeatRepository {
  constructor(private readonly db: Executor, private readonly dialect: DialectName) {}

  /**
   * Reads, for update inside a transaction, the heartbeats with these ids or ping tokens (so the
   * common check-in needs no lookup of its own). Off SQLite the rows are locked in id order, so
   * concurrent batches cannot deadlock; PostgreSQL does it in one query (FOR NO KEY UPDATE: the
   * batch changes no key, so the pings' foreign keys need not wait), MariaDB (no FOR UPDATE OF)
   * locks the service rows first and then reads them with their paths.
   */
  async lock(trx: Executor, ids: string[], tokens: string[] = []): Promise<HeartbeatRow[]> {
    if (ids.length === 0 && tokens.length === 0) return [];
    const idList = [...new Set(ids)];
    const tokenList = [...new Set(tokens)];
    // Only the conditions that are needed: an OR with an empty side can keep an index unused.
    const matching = <E extends ExpressionBuilder<Database, 'services'>>(eb: E) => eb.or([
      ...(idList.length > 0 ? [this.isAnyOf(eb, 'services.id', idList)] : []),
      ...(tokenList.length > 0 ? [this.isAnyOf(eb, 'services.ping_token', tokenList)] : []),
    ]);
    if (this.dialect === 'mysql') {
      const locked = await trx.selectFrom('services').select('id')
        .where(matching)
        .orderBy('id').forUpdate().execute();
      return this.read(trx, locked.map((r) => r.id));
    }
    let q = selectHeartbeats(trx).where(matching);
    if (this.dialect === 'postgres') {
      q = q.orderBy('services.id').forNoKeyUpdate('services');
      prepareByName(q.compile().sql);
    }
    return (await q.execute()).map(heartbeatRowFrom);
  }

  /**
   * `column IN (values)` with a text that does not change with the number of values where the
   * database allows it (one JSON or array parameter), so the statement is prepared only once.
   */
  private isAnyOf(eb: ExpressionBuilder<Database, 'services'>, column: 'services.id' | 'services.ping_token', values: string[]) {
    if (this.dialect === 'sqlite') return sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`;
    if (this.dialect === 'postgres') return sql<boolean>`${sql.ref(column)} = any(${values}::varchar[])`;
    return eb(column, 'in', values);
  }

  /**
   * Claims heartbeats whose deadline has passed, oldest first. Off SQLite the rows stay locked
   * (SKIP LOCKED: another instance takes the next ones) until the transaction ends.
   */
  async claimDue(trx: Executor, now: number, limit: number): Promise<HeartbeatRow[]> {
    let q = trx.selectFrom('services').select('id')
      .where('next_deadline', '<=', now).where('kind', '=', 'heartbeat').orderBy('next_deadline').limit(limit);
    if (this.dialect !== 'sqlite') q = q.forUpdate().skipLocked();
    const ids = (await q.execute()).map((r) => r.id);
    return this.read(trx, ids);
  }

  private async read(db: Executor, ids: string[]): Promise<HeartbeatRow[]> {
    if (ids.length === 0) return [];
    return (await selectHeartbeats(db).where('services.id', 'in', ids).execute()).map(heartbeatRowFrom);
  }

  /** Writes a batch: the check-in columns of every touched heartbeat and the new pings. */
  async writeBatch(trx: Executor, rows: HeartbeatRow[], pings: NewPing[]): Promise<void> {
    await writeHeartbeatBatch(trx, this.dialect, rows.map((r) => ({ id: r.ref.id, columns: stateColumns(r) })), pings);
  }

  /** Service ids by ping token, for the tokens that exist. */
  async idsByToken(tokens: string[]): Promise<Map<string, string>> {
    if (tokens.length === 0) return new Map();
    const rows = await this.db.selectFrom('services').select(['id', 'ping_token'])
      .where('ping_token', 'in', [...new Set(tokens)]).where('kind', '=', 'heartbeat').execute();
    return new Map(rows.map((r) => [r.ping_token!, r.id]));
  }

  /** Heartbeats reachable as /notify/<id> or /refresh/<id>: their legacy id, or their own id. */
  async findByLegacyId(legacyId: string): Promise<{ id: string; apiKeyHash: string | null }[]> {
    const rows = await this.db.selectFrom('services').select(['id', 'api_key_hash'])
      .where('kind', '=', 'heartbeat')
      .where((eb) => eb.or([eb('legacy_id', '=', legacyId), eb.and([eb('id', '=', legacyId), eb('legacy_id', 'is', null)])]))
      .execute();
    return rows.map((r) => ({ id: r.id, apiKeyHash: r.api_key_hash ?? null }));
  }

  async findBySlug(pingKey: string, slug: string): Promise<{ projectId: string | null; serviceId: string | null }> {
    const key = await this.db.selectFrom('heartbeat_ping_keys').select('project_id').where('ping_key', '=', pingKey).executeTakeFirst();
    if (!key) return { projectId: null, serviceId: null };
    const service = await this.db.selectFrom('services').select('id')
      .where('project_id', '=', key.project_id).where('slug', '=', slug).where('kind', '=', 'heartbeat').executeTakeFirst();
    return { projectId: key.project_id, serviceId: service?.id ?? null };
  }

  async credentials(serviceId: string) {
    const row = await this.db.selectFrom('services')
      .select(['project_id', 'slug', 'ping_token', 'api_key_hash', 'legacy_id', 'last_ping_at', 'run_started_at'])
      .where('id', '=', serviceId).executeTakeFirst();
    if (!row) return undefined;
    return {
      projectId: row.project_id, slug: row.slug, pingToken: row.ping_token ?? null, hasApiKey: Boolean(row.api_key_hash),
      legacyId: row.legacy_id ?? null, lastPingAt: num(row.last_ping_at), runStartedAt: num(row.run_started_at),
    };
  }

  /** After a catalog change: a token if missing, and a deadline of now so the sweeper re-evaluates. */
  async scheduleReview(serviceId: string, now: number, newToken: string): Promise<void> {
    await this.db.updateTable('services').set({ ping_token: newToken })
      .where('id', '=', serviceId).where('kind', '=', 'heartbeat').where('ping_token', 'is', null).execute();
    await this.db.updateTable('services')
      .set((eb) => ({ next_deadline: eb.case().when('kind', '=', 'heartbeat').then(now).else(null).end() }))
      .where('id', '=', serviceId).execute();
  }

  async setPingToken(serviceId: string, token: string): Promise<void> {
    await this.db.updateTable('services').set({ ping_token: token }).where('id', '=', serviceId).execute();
  }

  /** Gives a token to every heartbeat that has none; `makeToken` is called per service. */
  async fillMissingPingTokens(makeToken: () => string): Promise<number> {
    const rows = await this.db.selectFrom('services').select('id').where('kind', '=', 'heartbeat').where('ping_token', 'is', null).execute();
    for (const r of rows) {
      await this.db.updateTable('services').set({ ping_token: makeToken() }).where('id', '=', r.id).where('ping_token', 'is', null).execute();
    }
    return rows.length;
  }

  async setApiKey(serviceId: string, apiKeyHash: string, legacyId: string | null | undefined): Promise<void> {
    await this.db.updateTable('services')
      .set({ api_key_hash: apiKeyHash, ...(legacyId !== undefined && { legacy_id: legacyId }) })
      .where('id', '=', serviceId).execute();
  }

  async pingKey(projectId: string): Promise<string | null> {
    const row = await this.db.selectFrom('heartbeat_ping_keys').select('ping_key').where('project_id', '=', projectId).executeTakeFirst();
    return row?.ping_key ?? null;
  }

  async setPingKey(projectId: string, pingKey: string, now: number): Promise<void> {
    await this.db.deleteFrom('heartbeat_ping_keys').where('project_id', '=', projectId).execute();
    await this.db.insertInto('heartbeat_ping_keys').values({ project_id: projectId, ping_key: pingKey, created_at: now }).execute();
  }

  /**
   * The newest pings of a service, newest first. One statement reads the inbox and the history
   * (ping-inbox-mover.ts), so a ping being moved is seen once: both sides are read in one snapshot.
   */
  async recentPings(serviceId: string, limit: number) {
    const columns = storedPingColumns;
    const { rows } = await sql<HeartbeatPingTable>`select * from (
        select ${columns} from heartbeat_ping_inbox where service_id = ${serviceId}
        union all
        select * from (select ${columns} from heartbeat_pings where service_id = ${serviceId} order by at desc, id desc limit ${limit}) as history
      ) as p order by at desc, id desc limit ${limit}`.execute(this.db);
    return rows.map((r) => ({
      at: Number(r.at), kind: r.kind, exitStatus: num(r.exit_status), durationMs: num(r.duration_ms),
      body: r.body, sourceIp: r.source_ip, userAgent: r.user_agent,
    }));
  }

  /** Pings stored, in the inbox and the history (one statement: one snapshot of both). */
  async countPings(serviceId?: string): Promise<number> {
    const where = serviceId === undefined ? sql`` : sql` where service_id = ${serviceId}`;
    const { rows } = await sql<{ n: number | string }>`select
      (select count(*) from heartbeat_ping_inbox${where}) + (select count(*) from heartbeat_pings${where}) as n`.execute(this.db);
    return Number(rows[0].n);
  }
}
