// Storage of heartbeats: the check-in columns of services, the pings, and project ping keys.
// Methods that lock take the transaction's executor; on PostgreSQL/MySQL they lock rows so that
// several Tocsin instances sharing the database never apply the same change twice.
import { sql } from 'kysely';
import type { ServiceKind, ServiceState } from '../domain/service-state.js';
import type { ServiceRef } from '../catalog/state-transitions.js';
import type { DialectName } from '../store/database-url.js';
import { fromJson, type Executor } from '../store/executor.js';
import type { HeartbeatConfig } from './heartbeat-config.js';
import type { HeartbeatPingTable } from './heartbeat-tables.js';
import type { HeartbeatSnapshot } from './schedule.js';

export interface HeartbeatRow extends HeartbeatSnapshot {
  ref: ServiceRef;
  pingToken: string | null;
  config: HeartbeatConfig;
  nextDeadline: number | null;
}

export type NewPing = Omit<HeartbeatPingTable, 'id'>;

export interface HeartbeatChanges {
  state?: ServiceState;
  state_changed_at?: number;
  last_ping_at?: number | null;
  run_started_at?: number | null;
  next_deadline?: number | null;
  last_checked_at?: number;
  last_latency_ms?: number | null;
  last_detail?: string | null;
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
    const idList = ids.length > 0 ? [...new Set(ids)] : [''];
    const tokenList = tokens.length > 0 ? [...new Set(tokens)] : [''];
    if (this.dialect === 'mysql') {
      const locked = await trx.selectFrom('services').select('id')
        .where((eb) => eb.or([eb('id', 'in', idList), eb('ping_token', 'in', tokenList)]))
        .orderBy('id').forUpdate().execute();
      return this.read(trx, locked.map((r) => r.id));
    }
    let q = this.base(trx).where((eb) => eb.or([eb('services.id', 'in', idList), eb('services.ping_token', 'in', tokenList)]));
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
   * Updates many services in ONE statement (a CASE per column), so a batch of check-ins costs
   * one round trip for its service rows instead of one per service.
   */
  async updateMany(trx: Executor, changes: Map<string, HeartbeatChanges>): Promise<void> {
    if (changes.size <= 1) {
      for (const [id, change] of changes) await this.update(trx, id, change);
      return;
    }
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
