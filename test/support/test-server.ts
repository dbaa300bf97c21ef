// Starts a real Tocsin HTTP server in this process on a free loopback port, over a fresh database
// of the chosen dialect, with an admin user and API keys ready. Requests go over real HTTP.
import { serve, type RunningTocsin } from '../../src/app/serve.js';
import type { Feature } from '../../src/app/feature.js';
import { allFeatures } from '../../src/app/features.js';
import { readSettings } from '../../src/config/settings.js';
import { silentLogger } from '../../src/logger.js';
import type { DialectName } from '../../src/store/database-url.js';
import { createTestStore } from '../../src/store/test-support/databases.js';

export interface TestServer {
  url: string;
  running: RunningTocsin;
  /** Write-scoped API key of the admin user. */
  adminKey: string;
  /** Read-only API key of the admin user. */
  readKey: string;
  request(method: string, path: string, options?: { body?: unknown; rawBody?: string; headers?: Record<string, string>; key?: string | null }): Promise<{ status: number; body: any; headers: Headers; text: string }>;
  stop(): Promise<void>;
}

export async function startTestServer(options: { dialect?: DialectName; features?: Feature[]; env?: Record<string, string> } = {}): Promise<TestServer> {
  const db = await createTestStore(options.dialect ?? 'sqlite', { migrate: false });
  await db.store.close(); // serve() opens its own connection and migrates
  const settings = readSettings({
    DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', LOG_LEVEL: 'silent',
    TOCSIN_ADMIN_EMAIL: 'admin@example.com', TOCSIN_ADMIN_PASSWORD: 'correct horse battery', ...options.env,
  });
  const running = await serve(settings, silentLogger(), options.features ?? allFeatures());
  const url = running.url;
  const admin = (await running.ctx.data.repos.users.findByEmail('admin@example.com'))!;
  const adminKey = (await running.ctx.auth.createApiKey({ userId: admin.id, name: 'test', scope: 'write' })).key;
  const readKey = (await running.ctx.auth.createApiKey({ userId: admin.id, name: 'test-read', scope: 'read' })).key;
  const request: TestServer['request'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    const key = opts.key === undefined ? adminKey : opts.key;
    if (key) headers.authorization = `Bearer ${key}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, body: parsed, headers: res.headers, text };
  };
  return {
    url, running, adminKey, readKey, request,
    async stop() {
      await running.stop();
      await db.drop();
    },
  };
}
