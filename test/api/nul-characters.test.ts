// Text with a NUL character (U+0000) gets a 400 on every database: PostgreSQL's text cannot store
// one, and without these checks the request failed at the database with a 500.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nulPath } from '../../src/domain/validation.js';
import type { DialectName } from '../../src/store/database-url.js';
import { skipReason } from '../../src/store/test-support/databases.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('finding NUL characters', () => {
  it('names the first value or key that holds one', () => {
    assert.equal(nulPath({ a: 'fine', b: ['x', 'y\0'] }), '/b/1');
    assert.equal(nulPath({ config: { 'k\0': 1 } }), '/config/k\0');
    assert.equal(nulPath('\0'), '');
    assert.equal(nulPath({ a: 1, b: null, c: ['ok'] }), null);
  });
});

for (const dialect of ['sqlite', 'postgres', 'mysql'] satisfies DialectName[]) {
  describe(`NUL characters in API requests on ${dialect}`, { skip: skipReason(dialect) }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ dialect });
      await server.request('POST', '/api/v1/namespaces', { body: { slug: 'keep', name: 'Keep' } });
    });
    after(async () => { await server.stop(); });

    it('refuses them in a body with a 400 naming the field, and stores nothing', async () => {
      const res = await server.request('POST', '/api/v1/namespaces', { body: { slug: 'nul', name: 'a\u0000b' } });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.match(res.body.error.message, /\/name must not contain the NUL character/);
      const project = await server.request('POST', '/api/v1/namespaces/keep/projects', { body: { slug: 'p', name: 'p' } });
      assert.equal(project.status, 201, project.text);
      const nested = await server.request('POST', '/api/v1/namespaces/keep/projects/p/services', {
        body: { slug: 'web', name: 'web', type: 'http', config: { url: 'https://example.com/\u0000' } },
      });
      assert.equal(nested.status, 400, nested.text);
      assert.match(nested.body.error.message, /\/config\/url/);
      const list = await server.request('GET', '/api/v1/namespaces');
      assert.deepEqual(list.body.items.map((n: { slug: string }) => n.slug), ['keep']);
    });

    it('answers a 4xx, never a 500, for one in a path parameter or a query string', async () => {
      for (const path of ['/api/v1/namespaces/a%00b', '/api/v1/namespaces/keep/projects/a%00b', '/api/v1/services?namespace=a%00b']) {
        const res = await server.request('GET', path);
        assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status} ${res.text}`);
        assert.equal(typeof res.body.error.message, 'string');
      }
    });
  });
}
