import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AuthService } from '../../auth/auth-service.js';
import { AppError } from '../../domain/errors.js';
import { repositories } from '../repositories.js';
import { describeEachDatabase } from '../test-support/databases.js';

describeEachDatabase('users, sessions, API keys and sign-in throttling', (getStore) => {
  it('logs in, resolves sessions and keys, expires them, and throttles in the database', async () => {
    let clock = 1_000_000;
    const store = getStore();
    const auth = new AuthService(repositories(store.db, store.dialect), () => clock, { sessionTtlMs: 60_000, loginWindowMs: 60_000, loginMaxFailures: 3 });
    const user = await auth.createUser({ email: 'Ann@Example.com', password: 'password-1', role: 'editor' });
    assert.equal(user.email, 'ann@example.com');
    const { token } = await auth.login('ann@example.com', 'password-1', '10.0.0.1');
    assert.equal((await auth.actorForSession(token))?.globalRole, 'editor');
    clock += 61_000;
    assert.equal(await auth.actorForSession(token), undefined, 'sessions expire');
    const { key } = await auth.createApiKey({ userId: user.id, name: 'k', scope: 'read', expiresAt: clock + 1000 });
    assert.equal((await auth.actorForApiKey(key))?.readOnly, true);
    assert.equal(await auth.actorForApiKey(key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A')), undefined);
    clock += 2000;
    assert.equal(await auth.actorForApiKey(key), undefined, 'keys expire');
    for (let i = 0; i < 3; i++) await assert.rejects(auth.login('ann@example.com', 'wrong', '10.0.0.2'), (e: unknown) => e instanceof AppError && e.code === 'unauthorized');
    await assert.rejects(auth.login('ann@example.com', 'password-1', '10.0.0.3'), (e: unknown) => e instanceof AppError && e.code === 'rate_limited');
    clock += 61_000;
    assert.ok((await auth.login('ann@example.com', 'password-1', '10.0.0.3')).token, 'the window passes');
  });
});
