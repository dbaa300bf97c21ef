import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('authentication and authorization over HTTP', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(async () => { await server.stop(); });

  it('signs in with a secure HttpOnly session cookie, and signs out', async () => {
    const login = await server.request('POST', '/api/v1/auth/login', { key: null, body: { email: 'ADMIN@example.com', password: 'correct horse battery' } });
    assert.equal(login.status, 200, login.text);
    const cookie = login.headers.get('set-cookie') ?? '';
    assert.match(cookie, /tocsin_session=/);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Strict/i);
    const session = cookie.split(';')[0];
    const me = await server.request('GET', '/api/v1/auth/me', { key: null, headers: { cookie: session } });
    assert.equal(me.body.label, 'admin@example.com');
    await server.request('POST', '/api/v1/auth/logout', { key: null, headers: { cookie: session } });
    const after = await server.request('GET', '/api/v1/auth/me', { key: null, headers: { cookie: session } });
    assert.equal(after.status, 401, 'the session is gone from the database');
  });

  it('stores passwords and keys only as hashes', async () => {
    const user = await server.running.ctx.data.db.selectFrom('users').selectAll().where('email', '=', 'admin@example.com').executeTakeFirstOrThrow();
    assert.match(user.password_hash, /^scrypt\$/);
    assert.ok(!user.password_hash.includes('correct horse'));
    const keys = await server.running.ctx.data.db.selectFrom('api_keys').select('key_hash').execute();
    for (const k of keys) assert.ok(!server.adminKey.includes(k.key_hash) && k.key_hash.length === 64);
  });

  it('throttles failed sign-ins with 429 and Retry-After', async () => {
    let last = { status: 0, headers: new Headers() } as Awaited<ReturnType<TestServer['request']>>;
    for (let i = 0; i < 11; i++) {
      last = await server.request('POST', '/api/v1/auth/login', { key: null, body: { email: 'victim@example.com', password: `guess-${i}` } });
    }
    assert.equal(last.status, 429, last.text);
    assert.ok(Number(last.headers.get('retry-after')) > 0);
    assert.equal(last.body.error.code, 'rate_limited');
  });

  it('read-only keys read but never write; revoked keys stop working', async () => {
    assert.equal((await server.request('GET', '/api/v1/namespaces', { key: server.readKey })).status, 200);
    const write = await server.request('POST', '/api/v1/namespaces', { key: server.readKey, body: { name: 'Nope' } });
    assert.equal(write.status, 403, write.text);
    const created = await server.request('POST', '/api/v1/api-keys', { body: { name: 'ci', scope: 'write' } });
    assert.equal(created.status, 201);
    assert.match(created.body.key, /^tsn_[a-f0-9]{16}_/);
    const listed = await server.request('GET', '/api/v1/api-keys');
    assert.ok(!JSON.stringify(listed.body).includes(created.body.key.slice('tsn_'.length + 17)), 'the secret is never listed');
    assert.equal((await server.request('GET', '/api/v1/namespaces', { key: created.body.key })).status, 200);
    assert.equal((await server.request('DELETE', `/api/v1/api-keys/${created.body.apiKey.id}`)).status, 204);
    assert.equal((await server.request('GET', '/api/v1/namespaces', { key: created.body.key })).status, 401);
  });

  it('scopes users to the namespaces they are members of', async () => {
    await server.request('POST', '/api/v1/namespaces', { body: { slug: 'team-a', name: 'A' } });
    await server.request('POST', '/api/v1/namespaces', { body: { slug: 'team-b', name: 'B' } });
    const user = await server.request('POST', '/api/v1/users', { body: { email: 'ed@example.com', password: 'long enough pw' } });
    assert.equal(user.status, 201, user.text);
    assert.equal((await server.request('PUT', `/api/v1/users/${user.body.id}/memberships/team-a`, { body: { role: 'editor' } })).status, 204);
    const login = await server.request('POST', '/api/v1/auth/login', { key: null, body: { email: 'ed@example.com', password: 'long enough pw' } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const as = (method: string, path: string, body?: unknown) => server.request(method, path, { key: null, headers: { cookie }, body });
    const list = await as('GET', '/api/v1/namespaces');
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.body.items.map((n: { slug: string }) => n.slug), ['team-a']);
    assert.equal((await as('POST', '/api/v1/namespaces/team-a/projects', { slug: 'web', name: 'Web' })).status, 201);
    assert.equal((await as('GET', '/api/v1/namespaces/team-b')).status, 403);
    assert.equal((await as('POST', '/api/v1/namespaces/team-b/projects', { slug: 'web', name: 'Web' })).status, 403);
    assert.equal((await as('DELETE', '/api/v1/namespaces/team-a')).status, 403, 'deleting a namespace needs admin');
    assert.equal((await as('GET', '/api/v1/users')).status, 403);
  });
});
