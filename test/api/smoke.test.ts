import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('API smoke', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(async () => { await server.stop(); });

  it('creates namespace → project → heartbeat service and reads it by path and id', async () => {
    const ns = await server.request('POST', '/api/v1/namespaces', { body: { name: 'Acme' } });
    assert.equal(ns.status, 201, ns.text);
    const project = await server.request('POST', '/api/v1/namespaces/acme/projects', { body: { slug: 'website', name: 'Website' } });
    assert.equal(project.status, 201, project.text);
    const svc = await server.request('POST', '/api/v1/namespaces/acme/projects/website/services', {
      body: { slug: 'nightly', name: 'Nightly backup', type: 'heartbeat', config: { schedule: 'period', period: '1d', grace: '1h' }, tags: ['backup'] },
    });
    assert.equal(svc.status, 201, svc.text);
    assert.equal(svc.body.path, 'acme/website/nightly');
    assert.equal(svc.body.state, 'unknown');
    const byPath = await server.request('GET', '/api/v1/paths/acme/website/nightly');
    assert.equal(byPath.body.item.id, svc.body.id);
    const byId = await server.request('GET', `/api/v1/services/${svc.body.id}`);
    assert.deepEqual(byId.body.tags, ['backup']);
  });
});
