// Turns check-in targets into service ids, batching the common case (ping tokens) into one query.
// Answers 404 for unknown ids/tokens and 401 when a legacy key does not match.
import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../auth/secrets.js';
import type { CheckIn, CheckInResult } from './check-in.js';
import type { HeartbeatRepository } from './heartbeat-repository.js';

/** A resolved target, or a plain ping token still to be found by the writer. */
export type Resolution = CheckInResult | { ok: 'by-token'; token: string };

export const unknownToken: CheckInResult = { ok: false, status: 404, message: 'no heartbeat has this check-in token' };

/** Creates a heartbeat `slug` in a project for `?create=1`, or says why not. */
export type CreateOnFirstUse = (projectId: string, slug: string) => Promise<CheckInResult>;

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export class TargetResolver {
  constructor(private readonly repo: HeartbeatRepository, private readonly createOnFirstUse: CreateOnFirstUse) {}

  /**
   * Resolves what needs lookups of its own. A plain token target is left to the writer, which
   * finds it in the same locked read as the service rows: the common check-in costs no query here.
   */
  async resolveAll(items: CheckIn[]): Promise<Resolution[]> {
    const ambiguous = items.flatMap((i) => (i.target.by === 'token' && i.target.orSlug ? [i.target.token] : []));
    const byToken = await this.repo.idsByToken(ambiguous);
    const results: Resolution[] = [];
    for (const item of items) results.push(await this.resolveOne(item, byToken));
    return results;
  }

  private async resolveOne({ target }: CheckIn, byToken: Map<string, string>): Promise<Resolution> {
    if (target.by === 'token') {
      if (!target.orSlug) return { ok: 'by-token', token: target.token };
      const id = byToken.get(target.token);
      if (id) return { ok: true, serviceIds: [id] };
      return this.bySlug(target.orSlug.pingKey, target.orSlug.slug, false);
    }
    if (target.by === 'slug') return this.bySlug(target.pingKey, target.slug, target.create);
    const candidates = await this.repo.findByLegacyId(target.legacyId);
    if (candidates.length === 0) return { ok: false, status: 404, message: `no heartbeat has the id "${target.legacyId}"` };
    const hash = sha256Hex(target.apiKey);
    const matching = candidates.filter((c) => c.apiKeyHash !== null && sameHash(c.apiKeyHash, hash));
    if (matching.length === 0) return { ok: false, status: 401, message: 'the key does not match this id' };
    return { ok: true, serviceIds: matching.map((c) => c.id) };
  }

  private async bySlug(pingKey: string, slug: string, create: boolean): Promise<CheckInResult> {
    const found = await this.repo.findBySlug(pingKey, slug);
    if (!found.projectId) return { ok: false, status: 404, message: 'no project has this ping key' };
    if (found.serviceId) return { ok: true, serviceIds: [found.serviceId] };
    if (!create) return { ok: false, status: 404, message: `no heartbeat "${slug}" in this project (add ?create=1 to create it)` };
    return this.createOnFirstUse(found.projectId, slug);
  }
}
