// Sends wrong credentials and garbage to EVERY route of the OpenAPI document: each answer must be
// a 4xx with the stable error shape, never a 500, and what was stored before must be intact.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/test-server.js';

interface Operation { method: string; path: string; hasBody: boolean; isPublic: boolean }

function operations(doc: any): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      out.push({ method: method.toUpperCase(), path, hasBody: Boolean(op.requestBody), isPublic: Array.isArray(op.security) && op.security.length === 0 });
    }
  }
  return out;
}

const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);

function assertClientError(res: { status: number; body: any; text: string }, what: string) {
  assert.ok(res.status >= 400 && res.status < 500, `${what}: expected a 4xx, got ${res.status} ${res.text.slice(0, 200)}`);
  assert.equal(typeof res.body?.error?.code, 'string', `${what}: error shape`);
  assert.equal(typeof res.body?.error?.message, 'string', `${what}: error message`);
}

describe('bad input on every route', () => {
  let server: TestServer;
  let ops: Operation[];
  before(async () => {
    server = await startTestServer();
    await server.request('POST', '/api/v1/namespaces', { body: { slug: 'keep', name: 'Keep' } });
    ops = operations((await server.request('GET', '/api/v1/openapi.json', { key: null })).body);
  });
  after(async () => { await server.stop(); });

  it('documents the API in OpenAPI 3', () => {
    assert.ok(ops.length >= 25, `only ${ops.length} operations documented`);
  });

  it('answers 401 without credentials and with a wrong key, on every private route', async () => {
    for (const op of ops.filter((o) => !o.isPublic)) {
      const url = fill(op.path, 'keep');
      const none = await server.request(op.method, url, { key: null, body: op.hasBody ? {} : undefined });
      assertClientError(none, `${op.method} ${op.path} without credentials`);
      assert.equal(none.status, 401, `${op.method} ${op.path}`);
      const wrong = await server.request(op.method, url, { key: 'tsn_0123456789abcdef_' + 'x'.repeat(43), body: op.hasBody ? {} : undefined });
      assert.equal(wrong.status, 401, `${op.method} ${op.path} with a wrong key`);
      const garbled = await server.request(op.method, url, { headers: { authorization: 'Basic Zm9vOmJhcg==' }, key: null, body: op.hasBody ? {} : undefined });
      assert.equal(garbled.status, 401, `${op.method} ${op.path} with a non-Bearer header`);
    }
  });

  it('answers 4xx to garbage bodies, unknown fields and wrong types', async () => {
    const garbage: { rawBody?: string; body?: unknown; label: string }[] = [
      { rawBody: '{"name": ', label: 'truncated JSON' },
      { body: [], label: 'an array' },
      { body: 'text', label: 'a string' },
      { body: { name: 12, slug: ['x'], type: false, config: 'nope', unexpected: true }, label: 'wrong types' },
      { body: { surprise: 'field' }, label: 'unknown field' },
    ];
    for (const op of ops.filter((o) => o.hasBody)) {
      for (const g of garbage) {
        const res = await server.request(op.method, fill(op.path, 'keep'), { ...g, headers: { 'content-type': 'application/json' } });
        assertClientError(res, `${op.method} ${op.path} with ${g.label}`);
      }
    }
  });

  it('answers 4xx to bad path parameters and query strings', async () => {
    for (const op of ops) {
      for (const value of ['does-not-exist', '00000000-0000-0000-0000-000000000000', '%00%ff', 'x'.repeat(300)]) {
        const res = await server.request(op.method, fill(op.path, value) + '?limit=abc&offset=-5&cursor=!!', { body: op.hasBody ? {} : undefined });
        if (res.status < 400) continue; // e.g. a path that happens to be valid
        assertClientError(res, `${op.method} ${fill(op.path, value).slice(0, 60)}`);
      }
    }
  });

  it('refuses oversize bodies with 413 and unknown routes with 404', async () => {
    const big = await server.request('POST', '/api/v1/namespaces', { rawBody: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } });
    assert.equal(big.status, 413);
    assertClientError(big, 'oversize');
    const nowhere = await server.request('GET', '/api/v1/nowhere');
    assert.equal(nowhere.status, 404);
    assertClientError(nowhere, 'unknown route');
  });

  it('kept what was stored before', async () => {
    const ns = await server.request('GET', '/api/v1/namespaces/keep');
    assert.equal(ns.status, 200);
    assert.equal(ns.body.name, 'Keep');
  });
});
