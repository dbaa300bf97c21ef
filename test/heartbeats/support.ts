// Shared set-up for heartbeat HTTP tests: a namespace and project, and heartbeats in it.
import assert from 'node:assert/strict';
import type { TestServer } from '../support/test-server.js';

export async function createProject(server: TestServer, ns = 'acme', project = 'jobs'): Promise<void> {
  const a = await server.request('POST', '/api/v1/namespaces', { body: { slug: ns, name: ns } });
  assert.ok(a.status === 201 || a.status === 409, a.text);
  const b = await server.request('POST', `/api/v1/namespaces/${ns}/projects`, { body: { slug: project, name: project } });
  assert.ok(b.status === 201 || b.status === 409, b.text);
}

export interface Heartbeat {
  id: string;
  token: string;
  pingUrl: string;
}

export async function createHeartbeat(server: TestServer, slug: string, config: Record<string, unknown>, where = 'acme/jobs'): Promise<Heartbeat> {
  const [ns, project] = where.split('/');
  const created = await server.request('POST', `/api/v1/namespaces/${ns}/projects/${project}/services`, {
    body: { slug, name: slug, type: 'heartbeat', config },
  });
  assert.equal(created.status, 201, created.text);
  const info = await server.request('GET', `/api/v1/services/${created.body.id}/check-in`);
  assert.equal(info.status, 200, info.text);
  const token = String(info.body.pingUrl).split('/ping/')[1];
  return { id: created.body.id, token, pingUrl: info.body.pingUrl };
}

export async function serviceState(server: TestServer, id: string): Promise<string> {
  const res = await server.request('GET', `/api/v1/services/${id}`);
  assert.equal(res.status, 200, res.text);
  return res.body.state;
}

/** Polls until the service reaches `state`, or fails after `timeoutMs`. */
export async function waitForState(server: TestServer, id: string, state: string, timeoutMs = 4000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const current = await serviceState(server, id);
    if (current === state) return Date.now();
    if (Date.now() - started > timeoutMs) assert.fail(`service stayed "${current}", expected "${state}" within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A raw request to a check-in URL (no Tocsin credentials). */
export async function checkIn(server: TestServer, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const res = await fetch(`${server.url}${path}`, { method: init.method ?? 'GET', headers: init.headers, body: init.body });
  const text = await res.text();
  let body: any = text;
  try { body = text ? JSON.parse(text) : null; } catch { /* plain text */ }
  return { status: res.status, text, body, headers: res.headers };
}
