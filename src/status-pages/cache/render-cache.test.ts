import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RenderCache } from './render-cache.js';

describe('render cache', () => {
  it('trusts entries while fresh, keeps them while the shared version is unchanged, rebuilds on change or age', async () => {
    let now = 0;
    let version = 'v1';
    let versionReads = 0;
    let builds = 0;
    const cache = new RenderCache({ now: () => now, readVersion: async () => { versionReads++; return version; }, freshMs: 5_000, maxAgeMs: 60_000 });
    const build = async () => ++builds;
    assert.equal(await cache.get('a', build), 1);
    now = 4_000;
    assert.equal(await cache.get('a', build), 1);
    assert.equal(versionReads, 1);
    now = 6_000;
    assert.equal(await cache.get('a', build), 1, 'same version: kept');
    assert.equal(versionReads, 2);
    version = 'v2'; // another instance changed something
    now = 12_000;
    assert.equal(await cache.get('a', build), 2, 'new version: rebuilt');
    now = 80_000;
    assert.equal(await cache.get('a', build), 3, 'too old: rebuilt');
    cache.invalidate();
    assert.equal(await cache.get('a', build), 4, 'invalidated locally');
  });

  it('shares one build between concurrent requests and does not keep a build that raced an invalidation', async () => {
    const cache = new RenderCache({ now: () => 0, readVersion: async () => 'v' });
    let builds = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const slow = async () => { builds++; await gate; return builds; };
    const both = Promise.all([cache.get('k', slow), cache.get('k', slow)]);
    await new Promise((r) => setImmediate(r));
    cache.invalidate();
    release();
    assert.deepEqual(await both, [1, 1]);
    assert.equal(await cache.get('k', async () => 99), 99);
  });

  it('serves the last entry, however old, while the database is unavailable, and rebuilds once it is back', async () => {
    let now = 0;
    let failure: Error | null = null;
    const cache = new RenderCache({ now: () => now, readVersion: async () => { if (failure) throw failure; return 'v'; }, freshMs: 5_000, maxAgeMs: 60_000 });
    let builds = 0;
    const build = async () => ++builds;
    assert.equal(await cache.get('page', build), 1);
    failure = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    now = 600_000;
    assert.equal(await cache.get('page', build), 1, 'stale, not an error');
    await assert.rejects(cache.get('never-built', build), /ECONNREFUSED/, 'nothing to fall back on');
    failure = new Error('a bug in a query');
    now = 700_000;
    await assert.rejects(cache.get('page', build), /a bug/, 'not an outage: thrown');
    failure = null;
    now = 800_000;
    assert.equal(await cache.get('page', build), 2, 'rebuilt once the database answers');
    cache.invalidate(); // a local change, then the database goes
    failure = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    assert.equal(await cache.get('page', build), 2, 'an invalidated entry still stands in during an outage');
    failure = null;
    assert.equal(await cache.get('page', build), 3, 'and is rebuilt, not served, once the database answers');
  });
});
