// Browser sessions, API keys and login throttling: every secret here is stored as a SHA-256 hash.
import type { Executor } from '../executor.js';
import type { ApiKeyTable, SessionTable } from '../schema.js';

export interface ApiKeyRecord {
  id: string;
  userId: string;
  name: string;
  keyHash: string;
  scope: 'read' | 'write';
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
}

function toApiKey(r: ApiKeyTable): ApiKeyRecord {
  return {
    id: r.id, userId: r.user_id, name: r.name, keyHash: r.key_hash, scope: r.scope as 'read' | 'write',
    createdAt: Number(r.created_at), lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
    expiresAt: r.expires_at === null ? null : Number(r.expires_at),
  };
}

export class CredentialRepository {
  constructor(private readonly db: Executor) {}

  async insertSession(row: SessionTable): Promise<void> {
    await this.db.insertInto('sessions').values(row).execute();
  }

  async findSession(tokenHash: string): Promise<SessionTable | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  async touchSession(tokenHash: string, at: number, expiresAt: number): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: at, expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteExpiredSessions(now: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  }

  async insertApiKey(row: ApiKeyTable): Promise<void> {
    await this.db.insertInto('api_keys').values(row).execute();
  }

  async findApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toApiKey(row);
  }

  async listApiKeys(userId?: string): Promise<ApiKeyRecord[]> {
    let q = this.db.selectFrom('api_keys').selectAll();
    if (userId) q = q.where('user_id', '=', userId);
    return (await q.orderBy('created_at').execute()).map(toApiKey);
  }

  async deleteApiKey(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('api_keys').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async markApiKeyUsed(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async loginFailures(bucket: string): Promise<{ windowStart: number; failures: number } | undefined> {
    const row = await this.db.selectFrom('login_attempts').selectAll().where('bucket', '=', bucket).executeTakeFirst();
    return row && { windowStart: Number(row.window_start), failures: Number(row.failures) };
  }

  /** Counts one failure in the bucket's window, starting a new window when the old one ended. */
  async recordLoginFailure(bucket: string, now: number, windowMs: number): Promise<void> {
    const current = await this.loginFailures(bucket);
    if (!current) {
      try {
        await this.db.insertInto('login_attempts').values({ bucket, window_start: now, failures: 1 }).execute();
        return;
      } catch {
        // Another request created the row first: fall through and count on it.
      }
    }
    const fresh = current && current.windowStart + windowMs > now;
    if (fresh || !current) {
      await this.db.updateTable('login_attempts').set((eb) => ({ failures: eb('failures', '+', 1) }))
        .where('bucket', '=', bucket).execute();
    } else {
      await this.db.updateTable('login_attempts').set({ window_start: now, failures: 1 }).where('bucket', '=', bucket).execute();
    }
  }

  async clearLoginFailures(bucket: string): Promise<void> {
    await this.db.deleteFrom('login_attempts').where('bucket', '=', bucket).execute();
  }
}
