// The key that encrypts channel secrets at rest. TOCSIN_SECRET_KEY wins: 64 hex characters are the
// raw 256-bit key, any other text (at least 16 characters) is hashed with SHA-256 into one. Without
// it, a random key is generated once into DATA_DIR/secret.key (mode 0600) and reused. Instances that
// share a PostgreSQL/MySQL database MUST share the key, or they cannot read each other's secrets.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.js';

export class SecretKeyError extends Error {}

export function keyFromText(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (trimmed.length < 16) throw new SecretKeyError('TOCSIN_SECRET_KEY must be 64 hex characters or a passphrase of at least 16 characters');
  return createHash('sha256').update(trimmed, 'utf8').digest();
}

function readOrCreateKeyFile(file: string, logger: Logger): Buffer {
  try {
    return keyFromText(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const generated = randomBytes(32).toString('hex');
  try {
    // 'wx' fails if another process created the file meanwhile: then read theirs.
    writeFileSync(file, `${generated}\n`, { flag: 'wx', mode: 0o600 });
    logger.warn({ file }, 'generated a secret key for stored channel secrets; back it up, and set TOCSIN_SECRET_KEY to the same value on every instance sharing this database');
    return Buffer.from(generated, 'hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return keyFromText(readFileSync(file, 'utf8'));
  }
}

export function resolveSecretKey(options: { secretKey?: string; dataDir: string; dialect: string }, logger: Logger): Buffer {
  if (options.secretKey) return keyFromText(options.secretKey);
  mkdirSync(options.dataDir, { recursive: true });
  if (options.dialect !== 'sqlite') {
    logger.warn('TOCSIN_SECRET_KEY is not set: using DATA_DIR/secret.key; every instance sharing this database needs the same key');
  }
  return readOrCreateKeyFile(join(options.dataDir, 'secret.key'), logger);
}
