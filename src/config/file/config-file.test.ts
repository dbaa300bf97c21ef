import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildContext } from '../../app/build-context.js';
import { systemActor } from '../../auth/actor.js';
import { silentLogger } from '../../logger.js';
import { describeEachDatabase } from '../../store/test-support/databases.js';
import { readSettings } from '../settings.js';
import { applyConfigFile } from './apply-config-file.js';
import { ConfigFileError, parseConfigText } from './load-config-file.js';

const dir = mkdtempSync(join(tmpdir(), 'tocsin-config-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfigText(text, 'tocsin.yml', env);
  } catch (err) {
    if (err instanceof ConfigFileError) return err.problems;
    throw err;
  }
  return [];
}

const valid = `
namespaces:
  - slug: acme
    name: Acme
    projects:
      - slug: web
        services:
          - slug: home
            name: Home page
            type: http
            interval: 30s
            config: { url: "\${SITE_URL:-http://127.0.0.1:9/}" }
            tags: [web]
          - slug: backup
            name: Nightly backup
            type: heartbeat
            config: { schedule: cron, cron: "0 3 * * *", timezone: Europe/Paris, grace: 1h }
`;

describe('config file loading', () => {
  it('accepts a valid file and substitutes ${ENV} with defaults', () => {
    const config = parseConfigText(valid, 'tocsin.yml', { SITE_URL: 'https://example.com/' });
    assert.equal(config.namespaces?.[0].projects?.[0].services?.[0].config?.url, 'https://example.com/');
    const defaulted = parseConfigText(valid, 'tocsin.yml', {});
    assert.equal(defaulted.namespaces?.[0].projects?.[0].services?.[0].config?.url, 'http://127.0.0.1:9/');
  });

  it('names the key and the line of each problem', () => {
    const problems = problemsOf(`namespaces:
  - slug: acme
    projects:
      - slug: web
        services:
          - slug: api
            name: API
            type: http
            intervall: 30s
            config: { url: 42 }
`);
    assert.ok(problems.some((p) => p.startsWith('line 9:') && p.includes('unknown field: intervall')), problems.join('\n'));
    const typeProblems = problemsOf(valid.replace('type: http', 'type: htp'));
    assert.ok(typeProblems.some((p) => /line \d+: namespaces\[0\]\.projects\[0\]\.services\[0\]\.type: unknown type/.test(p)), typeProblems.join('\n'));
    const configProblems = problemsOf(valid.replace('config: { url: "${SITE_URL:-http://127.0.0.1:9/}" }', 'config: { url: "x", verb: 1 }'));
    assert.ok(configProblems.some((p) => p.includes('services[0].config') && p.includes('verb')), configProblems.join('\n'));
  });

  it('reports missing variables, duplicate slugs, YAML syntax and bad durations', () => {
    assert.match(problemsOf('namespaces:\n  - slug: "${NS}"\n')[0], /line 2: environment variable NS is not set/);
    assert.match(problemsOf('namespaces:\n  - slug: a\n  - slug: a\n').join(), /duplicate slug "a"/);
    assert.match(problemsOf('namespaces:\n  - slug: a\n    name: "a\\0b"\n').join(), /line 3: namespaces\[0\]\.name: must not contain the NUL character/);
    assert.ok(problemsOf('namespaces: [\n').length > 0);
    assert.match(problemsOf(valid.replace('interval: 30s', 'interval: soonish')).join(), /interval/);
    assert.match(problemsOf(valid.replace('grace: 1h', 'grace: 1e20')).join(), /line 17: .*services\[1\]\.config\.grace: must be at most 365 days/);
  });

  it('reports aliases that expand too far as a problem of the file, not a crash', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [from, to] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g']]) levels.push(`${to}: &${to} [${Array(9).fill(`*${from}`).join(', ')}]`);
    assert.match(problemsOf(`${levels.join('\n')}\nnamespaces: []\n`).join(), /could not be read as data: Excessive alias count/);
  });

  it('reads secrets from *_file keys', () => {
    const secret = write('url.txt', 'https://secret.example.com/\n');
    const config = parseConfigText(valid.replace('config: { url: "${SITE_URL:-http://127.0.0.1:9/}" }', `config: { url_file: ${secret} }`), 'tocsin.yml', {});
    assert.equal(config.namespaces?.[0].projects?.[0].services?.[0].config?.url, 'https://secret.example.com/');
  });
});

describeEachDatabase('config file applying', (getStore) => {
  it('applies idempotently, marks objects managed, prunes what the file dropped, spares API-made objects', async () => {
    const ctx = buildContext(readSettings({ DATABASE_URL: 'sqlite::memory:' }), getStore(), silentLogger());
    const file = write(`apply-${Math.random()}.yml`, valid);
    const first = await applyConfigFile(ctx, file);
    assert.deepEqual(first.created.sort(), ['acme', 'acme/web', 'acme/web/backup', 'acme/web/home']);
    const second = await applyConfigFile(ctx, file);
    assert.deepEqual([second.created, second.updated, second.deleted], [[], [], []], 'a second apply changes nothing');
    const home = await ctx.data.repos.services.findBySlugs('acme', 'web', 'home');
    assert.equal(home?.managedBy, 'config');
    // Someone adds a service by hand in the managed project.
    const project = (await ctx.data.repos.projects.findBySlugs('acme', 'web'))!;
    await ctx.services.create(systemActor(), project.id, { slug: 'manual', name: 'Manual', type: 'heartbeat', config: { schedule: 'period', period: '1h' } });
    writeFileSync(file, valid.replace('interval: 30s', 'interval: 45s').replace(/          - slug: backup[\s\S]*$/, ''));
    const third = await applyConfigFile(ctx, file);
    assert.deepEqual(third.updated, ['acme/web/home']);
    assert.deepEqual(third.deleted, ['acme/web/backup']);
    assert.equal((await ctx.data.repos.services.findBySlugs('acme', 'web', 'home'))?.intervalMs, 45_000);
    writeFileSync(file, 'namespaces: []\n');
    const fourth = await applyConfigFile(ctx, file);
    assert.deepEqual(fourth.deleted, ['acme/web/home']);
    assert.deepEqual(fourth.released.sort(), ['acme', 'acme/web'], 'a project holding API-made services is released, not deleted');
    assert.ok(await ctx.data.repos.services.findBySlugs('acme', 'web', 'manual'));
  });
});
