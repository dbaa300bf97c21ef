import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDatabaseUrl, statuerMysqlUrl } from '../store/database-url.js';
import { readSettings, SettingsError } from './settings.js';

describe('settings', () => {
  it('defaults to SQLite in ./data on port 8080', () => {
    const s = readSettings({});
    assert.equal(s.port, 8080);
    assert.equal(s.host, '0.0.0.0');
    assert.match(s.databaseUrl, /^sqlite:.*data\/tocsin\.db$/);
    assert.ok(Object.isFrozen(s));
    assert.equal(s.checkInDurability, 'process');
    assert.equal(s.databaseWaitMs, 60_000);
  });

  it('reads TOCSIN_DATABASE_WAIT from 0s to 1h', () => {
    assert.equal(readSettings({ TOCSIN_DATABASE_WAIT: '0s' }).databaseWaitMs, 0);
    assert.equal(readSettings({ TOCSIN_DATABASE_WAIT: '2m' }).databaseWaitMs, 120_000);
    assert.throws(() => readSettings({ TOCSIN_DATABASE_WAIT: '2h' }), /TOCSIN_DATABASE_WAIT must be a duration from 0s to 1h/);
    assert.throws(() => readSettings({ TOCSIN_DATABASE_WAIT: 'soon' }), SettingsError);
  });

  it("accepts Statuer's MYSQL_CONNECTION_URL, MYSQL_USERNAME and MYSQL_PASSWORD", () => {
    const s = readSettings({ MYSQL_CONNECTION_URL: 'jdbc:mysql://db.internal:3306/statuer', MYSQL_USERNAME: 'statuer', MYSQL_PASSWORD: 'very_secure/pass' });
    assert.equal(s.databaseUrl, 'mysql://statuer:very_secure%2Fpass@db.internal:3306/statuer');
    assert.deepEqual(parseDatabaseUrl(s.databaseUrl).dialect, 'mysql');
    assert.throws(() => statuerMysqlUrl('postgres://x'), /jdbc:mysql/);
  });

  it('reads secrets from *_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-settings-'));
    writeFileSync(join(dir, 'pw'), 'from-a-file\n');
    assert.equal(readSettings({ TOCSIN_ADMIN_PASSWORD_FILE: join(dir, 'pw') }).adminPassword, 'from-a-file');
    assert.throws(() => readSettings({ DATABASE_URL_FILE: join(dir, 'missing') }), SettingsError);
  });

  it('names the variable that is wrong', () => {
    assert.throws(() => readSettings({ PORT: '99999' }), /PORT must be a whole number from 0 to 65535/);
    assert.throws(() => readSettings({ TOCSIN_TRUST_PROXY: 'maybe' }), /TOCSIN_TRUST_PROXY must be true or false/);
    assert.throws(() => readSettings({ LOG_FORMAT: 'xml' }), /LOG_FORMAT/);
    assert.throws(() => readSettings({ TOCSIN_CHECKIN_DURABILITY: 'never' }), /TOCSIN_CHECKIN_DURABILITY must be "process" or "disk"/);
    assert.throws(() => parseDatabaseUrl('sqlite:'), /file path/);
  });

  it('bounds duration settings on both sides', () => {
    assert.throws(() => readSettings({ TOCSIN_SESSION_TTL: '30s' }), /TOCSIN_SESSION_TTL must be a duration from 1m to 365d/);
    assert.throws(() => readSettings({ TOCSIN_SESSION_TTL: '1000000000000d' }), /TOCSIN_SESSION_TTL must be a duration from 1m to 365d/);
    assert.throws(() => readSettings({ TOCSIN_RESULT_RETENTION: 'soon' }), /TOCSIN_RESULT_RETENTION must be a duration from 1h to 3650d/);
    assert.throws(() => readSettings({ TOCSIN_PING_RETENTION: '4000d' }), /TOCSIN_PING_RETENTION must be a duration from 1h to 3650d/);
    const s = readSettings({ TOCSIN_SESSION_TTL: '365d', TOCSIN_RESULT_RETENTION: '1h', TOCSIN_PING_RETENTION: '3650d' });
    assert.deepEqual([s.sessionTtlMs, s.resultRetentionMs, s.pingRetentionMs], [365 * 86_400_000, 3_600_000, 3650 * 86_400_000]);
  });
});
