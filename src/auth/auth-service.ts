// Users, sign-in, browser sessions and API keys. Throttling of sign-in lives in the database so it
// holds across several Tocsin instances.
import { randomUUID, timingSafeEqual, randomBytes } from 'node:crypto';
import { AppError, badRequest, conflict, notFound } from '../domain/errors.js';
import type { Role } from '../domain/roles.js';
import type { Repositories } from '../store/repositories.js';
import { isUniqueViolation } from '../store/executor.js';
import type { ApiKeyRecord } from '../store/repositories/credential-repository.js';
import type { User } from '../store/repositories/user-repository.js';
import { requireGlobalRole, type Actor } from './actor.js';
import { dummyPasswordHash, hashPassword, randomToken, sha256Hex, verifyPassword } from './secrets.js';

export interface AuthSettings {
  sessionTtlMs: number;
  loginWindowMs: number;
  loginMaxFailures: number;
}

export const defaultAuthSettings: AuthSettings = {
  sessionTtlMs: 7 * 24 * 3600_000,
  loginWindowMs: 15 * 60_000,
  loginMaxFailures: 10,
};

const apiKeyPattern = /^tsn_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

export class AuthService {
  constructor(
    private readonly repos: Repositories,
    private readonly now: () => number,
    private readonly settings: AuthSettings = defaultAuthSettings,
  ) {}

  async createUser(input: { email: string; password: string; name?: string; role?: Role | null }, actor?: Actor): Promise<User> {
    if (actor) requireGlobalRole(actor, 'admin');
    const email = input.email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw badRequest('email must look like name@example.com');
    if (input.password.length < 8) throw badRequest('password must be at least 8 characters');
    const now = this.now();
    const user = { id: randomUUID(), email, name: input.name?.trim() || email, role: input.role ?? null, createdAt: now };
    try {
      await this.repos.users.insert({
        id: user.id, email, name: user.name, password_hash: await hashPassword(input.password),
        role: user.role, created_at: now, updated_at: now,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`a user with email ${email} already exists`);
      throw err;
    }
    return user;
  }

  async setPassword(email: string, password: string): Promise<void> {
    if (password.length < 8) throw badRequest('password must be at least 8 characters');
    const user = await this.repos.users.findByEmail(email);
    if (!user) throw notFound(`user ${email}`);
    await this.repos.users.update(user.id, { password_hash: await hashPassword(password), updated_at: this.now() });
  }

  /** Checks a password and opens a session; throttled per email and per client address. */
  async login(email: string, password: string, clientIp: string): Promise<{ token: string; user: User; expiresAt: number }> {
    const normalized = email.trim().toLowerCase();
    const buckets = [`email:${normalized}`, `ip:${clientIp}`];
    const now = this.now();
    for (const bucket of buckets) {
      const state = await this.repos.credentials.loginFailures(bucket);
      // An address may be shared (NAT, proxies): it gets more tries than one account does.
      const limit = bucket.startsWith('ip:') ? this.settings.loginMaxFailures * 5 : this.settings.loginMaxFailures;
      if (state && state.windowStart + this.settings.loginWindowMs > now && state.failures >= limit) {
        const retryAfterS = Math.ceil((state.windowStart + this.settings.loginWindowMs - now) / 1000);
        throw new AppError('rate_limited', `too many failed sign-ins; try again in ${retryAfterS} s`, { retryAfterSeconds: retryAfterS });
      }
    }
    const user = await this.repos.users.findByEmail(normalized);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok) {
      for (const bucket of buckets) await this.repos.credentials.recordLoginFailure(bucket, now, this.settings.loginWindowMs);
      throw new AppError('unauthorized', 'wrong email or password');
    }
    await this.repos.credentials.clearLoginFailures(buckets[0]);
    const token = randomToken();
    const expiresAt = now + this.settings.sessionTtlMs;
    await this.repos.credentials.insertSession({ token_hash: sha256Hex(token), user_id: user.id, created_at: now, expires_at: expiresAt, last_seen_at: now });
    const { passwordHash: _secret, ...publicUser } = user;
    return { token, user: publicUser, expiresAt };
  }

  async logout(token: string): Promise<void> {
    await this.repos.credentials.deleteSession(sha256Hex(token));
  }

  /** The actor behind a session cookie, or undefined when it is unknown or expired. */
  async actorForSession(token: string): Promise<Actor | undefined> {
    const hash = sha256Hex(token);
    const session = await this.repos.credentials.findSession(hash);
    const now = this.now();
    if (!session || Number(session.expires_at) <= now) return undefined;
    // Sliding expiry, written at most once a minute per session.
    if (now - Number(session.last_seen_at) > 60_000) {
      await this.repos.credentials.touchSession(hash, now, now + this.settings.sessionTtlMs);
    }
    return this.actorForUser(session.user_id, false, 'user');
  }

  async createApiKey(input: { userId: string; name: string; scope: 'read' | 'write'; expiresAt?: number | null }): Promise<{ key: string; record: Omit<ApiKeyRecord, 'keyHash'> }> {
    const user = await this.repos.users.findById(input.userId);
    if (!user) throw notFound('user');
    const id = randomBytes(8).toString('hex');
    const secret = randomToken(32);
    const now = this.now();
    const row = { id, user_id: user.id, name: input.name, key_hash: sha256Hex(secret), scope: input.scope, created_at: now, last_used_at: null, expires_at: input.expiresAt ?? null };
    await this.repos.credentials.insertApiKey(row);
    return {
      key: `tsn_${id}_${secret}`,
      record: { id, userId: user.id, name: input.name, scope: input.scope, createdAt: now, lastUsedAt: null, expiresAt: row.expires_at },
    };
  }

  /** The actor behind `Authorization: Bearer tsn_…`, or undefined when the key is not valid. */
  async actorForApiKey(key: string): Promise<Actor | undefined> {
    const match = apiKeyPattern.exec(key);
    if (!match) return undefined;
    const record = await this.repos.credentials.findApiKey(match[1]);
    const presented = Buffer.from(sha256Hex(match[2]), 'hex');
    // Compare against a dummy when the id is unknown so timing doesn't reveal which ids exist.
    const stored = Buffer.from(record?.keyHash ?? sha256Hex('no-such-key'), 'hex');
    if (!timingSafeEqual(presented, stored) || !record) return undefined;
    const now = this.now();
    if (record.expiresAt !== null && record.expiresAt <= now) return undefined;
    if (record.lastUsedAt === null || now - record.lastUsedAt > 60_000) await this.repos.credentials.markApiKeyUsed(record.id, now);
    return this.actorForUser(record.userId, record.scope === 'read', 'api-key', record.id);
  }

  private async actorForUser(userId: string, readOnly: boolean, kind: 'user' | 'api-key', keyId?: string): Promise<Actor | undefined> {
    const user = await this.repos.users.findById(userId);
    if (!user) return undefined;
    return {
      kind, userId: user.id, label: kind === 'api-key' ? `api-key:${keyId}` : user.email,
      globalRole: user.role, memberships: await this.repos.users.memberships(user.id), readOnly,
    };
  }

  /** Creates the first admin from TOCSIN_ADMIN_EMAIL/PASSWORD when no user exists yet. */
  async bootstrapAdmin(email: string | undefined, password: string | undefined): Promise<User | undefined> {
    if (!email || !password) return undefined;
    if ((await this.repos.users.count()) > 0) return undefined;
    try {
      return await this.createUser({ email, password, name: 'Administrator', role: 'admin' });
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') return undefined; // another instance won the race
      throw err;
    }
  }
}
