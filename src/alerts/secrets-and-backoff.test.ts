import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '../logger.js';
import { nextAttemptAt } from './backoff.js';
import { SecretBox } from './secret-box.js';
import { keepRedactedSecrets, mergeSecrets, splitSecrets } from './secret-fields.js';
import { keyFromText, resolveSecretKey } from './secret-key.js';

describe('channel secrets at rest', () => {
  it('generates DATA_DIR/secret.key once, readable by its owner only, and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-key-'));
    const first = resolveSecretKey({ dataDir: dir, dialect: 'sqlite' }, silentLogger());
    assert.equal(statSync(join(dir, 'secret.key')).mode & 0o777, 0o600);
    assert.deepEqual(resolveSecretKey({ dataDir: dir, dialect: 'sqlite' }, silentLogger()), first);
    assert.deepEqual(resolveSecretKey({ secretKey: 'a'.repeat(64), dataDir: dir, dialect: 'sqlite' }, silentLogger()), Buffer.alloc(32, 0xaa));
    assert.throws(() => keyFromText('short'), /at least 16 characters/);
  });

  it('encrypts with the channel id bound in: another row or another key cannot open it', () => {
    const box = new SecretBox(keyFromText('the first passphrase, long enough'));
    const sealed = box.seal('{"token":"abc"}', 'channel-1');
    assert.ok(!sealed.includes('abc'));
    assert.equal(box.open(sealed, 'channel-1'), '{"token":"abc"}');
    assert.throws(() => box.open(sealed, 'channel-2'), /cannot decrypt/);
    assert.throws(() => new SecretBox(keyFromText('another passphrase, long enough')).open(sealed, 'channel-1'), /TOCSIN_SECRET_KEY differs/);
  });

  it('splits nested secret fields out and back, and keeps stored values sent back redacted', () => {
    const config = { host: 'smtp.example.com', auth: { user: 'u', pass: 'p4ss' }, to: ['a@example.com'] };
    const { plain, secrets } = splitSecrets(config, ['auth.pass', 'missing']);
    assert.deepEqual(plain, { host: 'smtp.example.com', auth: { user: 'u' }, to: ['a@example.com'] });
    assert.deepEqual(secrets, { 'auth.pass': 'p4ss' });
    assert.deepEqual(mergeSecrets(plain, secrets), config);
    const edited = keepRedactedSecrets({ ...config, host: 'smtp2.example.com', auth: { user: 'u', pass: '********' } }, config, ['auth.pass']);
    assert.deepEqual(edited.auth, { user: 'u', pass: 'p4ss' });
  });
});

describe('retry backoff', () => {
  const policy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 5, maxAgeMs: 3_600_000 };
  const at = (attempts: number, extra: { retryAfterMs?: number | null; random?: number; createdAt?: number } = {}) =>
    nextAttemptAt(policy, { attempts, createdAt: extra.createdAt ?? 0, now: 0, retryAfterMs: extra.retryAfterMs ?? null, random: () => extra.random ?? 0.5 });

  it('doubles from the base, with ±20% jitter, up to the maximum', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => at(n)), [1000, 2000, 4000, 8000]);
    assert.equal(at(1, { random: 0 }), 800);
    assert.equal(at(1, { random: 1 }), 1200);
    assert.equal(nextAttemptAt({ ...policy, maxAttempts: 50 }, { attempts: 20, createdAt: 0, now: 0, retryAfterMs: null, random: () => 0.5 }), 60_000);
  });

  it('waits at least what the provider asked, and gives up after the last attempt or the maximum age', () => {
    assert.equal(at(1, { retryAfterMs: 30_000 }), 30_000);
    assert.equal(at(5), null);
    assert.equal(at(1, { createdAt: -3_600_000 }), null);
  });
});
