// Storage of heartbeats: the check-in columns of services, the pings, and project ping keys.
// Methods that lock take the transaction's executor; on PostgreSQL/MySQL they lock rows so that
// several Tocsin instances sharing the database never apply the same change twice.
import { sql, type ExpressionBuilder } from 'kysely';
import type { ServiceKind, ServiceState } from '../domain/service-state.js';
import type { ServiceRef } from '../catalog/state-transitions.js';
import type { DialectName } from '../store/database-url.js';
import { fromJson, type Executor } from '../store/executor.js';
import type { Database } from '../store/schema.js';
import type { HeartbeatConfig } from './heartbeat-config.js';
import type { HeartbeatPingTable } from './heartbeat-tables.js';
import type { HeartbeatSnapshot } from './schedule.js';

export interface HeartbeatRow extends HeartbeatSnapshot {
  ref: ServiceRef;
  pingToken: string | null;
  config: HeartbeatConfig;
  nextDeadline: number | null;
  stateChangedAt: number | null;
  lastCheckedAt: number | null;
  lastLatencyMs: number | null;
  lastDetail: string | null;
}

export type NewPing = Omit<HeartbeatPingTable, 'id'>;

export interface HeartbeatChanges {
  state?: ServiceState;
  state_changed_at?: number | null;
  last_ping_at?: number | null;
  run_started_at?: number | null;
  next_deadline?: number | null;
  last_checked_at?: number | null;
  last_latency_ms?: number | null;
  last_detail?: string | null;
}

const pgTypes: Record<keyof HeartbeatChanges | 'id', string> = {
  id: 'varchar', state: 'varchar', state_changed_at: 'bigint', last_ping_at: 'bigint', run_started_at: 'bigint',
  next_deadline: 'bigint', last_checked_at: 'bigint', last_latency_ms: 'double precision', last_detail: 'text',
};

const pingColumns = ['service_id', 'at', 'kind', 'exit_status', 'duration_ms', 'body', 'source_ip', 'user_agent'] as const;

function stateColumns(r: HeartbeatRow): Required<HeartbeatChanges> {
  return {
    state: r.state, state_changed_at: r.stateChangedAt, last_ping_at: r.lastPingAt, run_started_at: r.runStartedAt,
    next_deadline: r.nextDeadline, last_checked_at: r.lastCheckedAt, last_latency_ms: r.lastLatencyMs, last_detail: r.lastDetail,
  };
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export class HeartbeatRepository {
  constructor(private readonly db: Executor, private readonly dialect: DialectName) {}

  private base(db: Executor) {
    return db.selectFrom('services')
      .innerJoin('projects', 'projects.id', 'services.project_id')
      .innerJoin('namespaces', 'namespaces.id', 'services.namespace_id')
      .select(['services.id', 'services.namespace_id', 'services.slug', 'services.name', 'services.kind', 'services.config',
        'services.state', 'services.ping_token', 'services.last_ping_at', 'services.run_started_at', 'services.next_deadline',
        'services.state_changed_at', 'services.last_checked_at', 'services.last_latency_ms', 'services.last_detail',
        'namespaces.slug as namespace_slug', 'projects.slug as project_slug'])
      .where('services.kind', '=', 'heartbeat');
  }

  private toRow(r: Awaited<ReturnType<ReturnType<HeartbeatRepository['base']>['execute']>>[number]): HeartbeatRow {
    return {
      ref: { id: r.id, namespaceId: r.namespace_id, path: `${r.namespace_slug}/${r.project_slug}/${r.slug}`, name: r.name, kind: r.kind as ServiceKind },
      pingToken: r.ping_token ?? null,
      config: fromJson<HeartbeatConfig>(r.config, { schedule: 'period', period: '1d' }),
      state: r.state as ServiceState,
      lastPingAt: num(r.last_ping_at), runStartedAt: num(r.run_started_at), nextDeadline: num(r.next_deadline),
      stateChangedAt: num(r.state_changed_at), lastCheckedAt: num(r.last_checked_at), lastLatencyMs: num(r.last_latency_ms),
      lastDetail: r.last_detail,
    };
  }

  /**
   * Reads, for update inside a transaction, the heartbeats with these ids or ping tokens (so the
   * common check-in needs no lookup of its own). Off SQLite the rows are locked in id order, so
   * concurrent batches cannot deadlock; PostgreSQL does it in one query, MariaDB (no FOR UPDATE
   * OF) locks the service rows first and then reads them with their paths.
   */
  async lock(trx: Executor, ids: string[], tokens: string[] = []): Promise<HeartbeatRow[]> {
    if (ids.length === 0 && tokens.length === 0) return [];
    const idList = [...new Set(ids)];
    const tokenList = [...new Set(tokens)];
    // Only the conditions that are needed: an OR with an empty side can keep an index unused.
    const matching = <E extends ExpressionBuilder<Database, 'services'>>(eb: E) => eb.or([
      ...(idList.length > 0 ? [eb('services.id', 'in', idList)] : []),
      ...(tokenList.length > 0 ? [eb('services.ping_token', 'in', tokenList)] : []),
    ]);
    if (this.dialect === 'mysql') {
      const locked = await trx.selectFrom('services').select('id')
        .where(matching)
        .orderBy('id').forUpdate().execute();
      return this.read(trx, locked.map((r) => r.id));
    }
    let q = this.base(trx).where(matching);
    if (this.dialect === 'postgres') q = q.orderBy('services.id').forUpdate('services');
    return (await q.execute()).map((r) => this.toRow(r));
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
    return (await this.base(db).where('services.id', 'in', ids).execute()).map((r) => this.toRow(r));
  }

  async update(trx: Executor, id: string, changes: HeartbeatChanges): Promise<void> {
    await trx.updateTable('services').set(changes).where('id', '=', id).execute();
  }

  /**
   * Writes a batch: the check-in columns of every touched heartbeat and the new pings. The
   * service rows take ONE statement, not one per service: an UPDATE … FROM a VALUES list on
   * SQLite and PostgreSQL (where the ping insert rides in the same statement, one round trip
   * for the whole batch), a CASE per column on MySQL (no UPDATE … FROM there).
   */
  async writeBatch(trx: Executor, rows: HeartbeatRow[], pings: NewPing[]): Promise<void> {
    if (rows.length === 0) return this.insertPings(trx, pings);
    if (rows.length === 1 || this.dialect === 'mysql') {
      if (rows.length === 1) await this.update(trx, rows[0].ref.id, stateColumns(rows[0]));
      else await this.updateByCase(trx, new Map(rows.map((r) => [r.ref.id, stateColumns(r)])));
      return this.insertPings(trx, pings);
    }
    const names = Object.keys(stateColumns(rows[0])) as (keyof HeartbeatChanges)[];
    // PostgreSQL types VALUES from its first row; untyped parameters would be text.
    const cast = (column: keyof HeartbeatChanges | 'id', value: unknown) => {
      if (this.dialect !== 'postgres') return sql`${value}`;
      return sql`cast(${value} as ${sql.raw(pgTypes[column])})`;
    };
    const values = rows.map((r) => {
      const c = stateColumns(r);
      return sql`(${sql.join([cast('id', r.ref.id), ...names.map((n) => cast(n, c[n]))])})`;
    });
    const v = sql.table('v');
    const withValues = sql`with ${v}(${sql.join([sql.ref('id'), ...names.map((n) => sql.ref(n))])}) as (values ${sql.join(values)})`;
    const update = sql`update ${sql.table('services')} set ${sql.join(names.map((n) => sql`${sql.ref(n)} = ${sql.ref(`v.${n}`)}`))}
      from ${v} where ${sql.ref('services.id')} = ${sql.ref('v.id')}`;
    const parameters = rows.length * (names.length + 1) + pings.length * pingColumns.length;
    if (this.dialect === 'sqlite' || pings.length === 0 || parameters > 30_000) {
      await sql`${withValues} ${update}`.execute(trx);
      return this.insertPings(trx, pings);
    }
    const pingValues = pings.map((p) => sql`(${sql.join(pingColumns.map((c) => p[c]))})`);
    await sql`${withValues}, ${sql.table('u')} as (${update})
      insert into ${sql.table('heartbeat_pings')} (${sql.join(pingColumns.map((c) => sql.ref(c)))}) values ${sql.join(pingValues)}`.execute(trx);
  }

  private async updateByCase(trx: Executor, changes: Map<string, HeartbeatChanges>): Promise<void> {
    const columns = [...new Set([...changes.values()].flatMap((c) => Object.keys(c)))] as (keyof HeartbeatChanges)[];
    const assignments = columns.map((column) => {
      const cases = [...changes].filter(([, c]) => c[column] !== undefined)
        .map(([id, c]) => sql`when ${id} then ${c[column]}`);
      return sql`${sql.ref(column)} = case ${sql.ref('id')} ${sql.join(cases, sql` `)} else ${sql.ref(column)} end`;
    });
    await sql`update ${sql.table('services')} set ${sql.join(assignments)} where ${sql.ref('id')} in (${sql.join([...changes.keys()])})`.execute(trx);
  }

  async insertPings(trx: Executor, pings: NewPing[]): Promise<void> {
    for (let i = 0; i < pings.length; i += 500) {
      await trx.insertInto('heartbeat_pings').values(pings.slice(i, i + 500)).execute();
    }
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
      .select(['project_id', 'slug', 'ping_token', 'api_key_hash', 'legacy_id', 'last_ping_at', 'run_started_at', 'next_deadline'])
      .where('id', '=', serviceId).executeTakeFirst();
    if (!row) return undefined;
    return {
      projectId: row.project_id, slug: row.slug, pingToken: row.ping_token ?? null, hasApiKey: Boolean(row.api_key_hash),
      legacyId: row.legacy_id ?? null, lastPingAt: num(row.last_ping_at), runStartedAt: num(row.run_started_at),
      nextDeadline: num(row.next_deadline),
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

  async recentPings(serviceId: string, limit: number) {
    const rows = await this.db.selectFrom('heartbeat_pings').selectAll()
      .where('service_id', '=', serviceId).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      at: Number(r.at), kind: r.kind, exitStatus: num(r.exit_status), durationMs: num(r.duration_ms),
      body: r.body, sourceIp: r.source_ip, userAgent: r.user_agent,
    }));
  }

  async countPings(serviceId?: string): Promise<number> {
    let q = this.db.selectFrom('heartbeat_pings').select(sql<number>`count(*)`.as('n'));
    if (serviceId) q = q.where('service_id', '=', serviceId);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }
}
