import type { CheckResult } from '../../domain/incident.js';
import type { Executor } from '../executor.js';

export interface NewCheckResult {
  serviceId: string;
  at: number;
  up: boolean;
  latencyMs: number | null;
  detail: string | null;
}

export class ResultRepository {
  constructor(private readonly db: Executor) {}

  /** Writes many results in one statement (the scheduler batches them). */
  async insertMany(results: NewCheckResult[]): Promise<void> {
    if (results.length === 0) return;
    await this.db.insertInto('check_results').values(results.map((r) => ({
      service_id: r.serviceId, at: r.at, up: r.up ? 1 : 0, latency_ms: r.latencyMs, detail: r.detail,
    }))).execute();
  }

  /** Newest first; `beforeId` is the cursor from the previous page. */
  async list(serviceId: string, options: { limit: number; beforeId?: number; from?: number; to?: number; up?: boolean }): Promise<CheckResult[]> {
    let q = this.db.selectFrom('check_results').selectAll().where('service_id', '=', serviceId);
    if (options.beforeId !== undefined) q = q.where('id', '<', options.beforeId);
    if (options.from !== undefined) q = q.where('at', '>=', options.from);
    if (options.to !== undefined) q = q.where('at', '<', options.to);
    if (options.up !== undefined) q = q.where('up', '=', options.up ? 1 : 0);
    const rows = await q.orderBy('id', 'desc').limit(options.limit).execute();
    return rows.map((r) => ({
      id: Number(r.id), serviceId: r.service_id, at: Number(r.at), up: Boolean(r.up),
      latencyMs: r.latency_ms === null ? null : Number(r.latency_ms), detail: r.detail,
    }));
  }

  async deleteForService(serviceId: string): Promise<void> {
    await this.db.deleteFrom('check_results').where('service_id', '=', serviceId).execute();
  }
}
