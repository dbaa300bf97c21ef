import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TSchema } from 'typebox';
import { getNotifier, notifiers, notifierTypes, validateNotifierConfig } from './registry.js';
import { redactSecrets, redacted } from './secrets.js';

function propertyAt(schema: TSchema, dottedPath: string): TSchema | undefined {
  let current: any = schema;
  for (const key of dottedPath.split('.')) current = current?.properties?.[key];
  return current;
}

describe('notifier registry', () => {
  it('knows every provider', () => {
    assert.deepEqual(notifierTypes(), [
      'discord', 'email', 'google-chat', 'gotify', 'matrix', 'mattermost', 'ntfy', 'opsgenie',
      'pagerduty', 'pushover', 'slack', 'teams', 'telegram', 'twilio', 'webhook', 'x',
    ]);
    assert.equal(getNotifier('slack')?.title, 'Slack (incoming webhook)');
    assert.equal(getNotifier('carrier-pigeon'), undefined);
  });

  it('every config schema is closed, takes template overrides and names real secret fields', () => {
    for (const [type, notifier] of notifiers) {
      const schema = notifier.configSchema as any;
      assert.equal(schema.additionalProperties, false, `${type} schema must set additionalProperties: false`);
      assert.ok(schema.properties.template, `${type} must accept template overrides`);
      assert.ok(notifier.secretFields.length > 0, `${type} has secrets`);
      for (const field of notifier.secretFields) assert.ok(propertyAt(notifier.configSchema, field), `${type}: secret field ${field} is not in the schema`);
    }
  });

  it('reports unknown types, unknown fields and union choices in one line each', () => {
    assert.match(validateNotifierConfig('pigeon', {})[0].message, /unknown notifier type "pigeon"; known types: discord, email/);
    assert.deepEqual(validateNotifierConfig('webhook', { url: 'https://example.com', method: 'GET', colour: 'red' }), [
      { path: '/colour', message: 'unknown field' },
      { path: '/method', message: 'must be one of: POST, PUT, PATCH' },
    ]);
    assert.deepEqual(validateNotifierConfig('webhook', { url: 'https://example.com', template: { body: '{{#each}}' } }).map((e) => e.path), ['/template/body']);
  });
});

describe('redactSecrets', () => {
  it('replaces present secret fields, nested ones too, and leaves the rest', () => {
    const config = { host: 'smtp.acme.test', auth: { user: 'tocsin', pass: 'hunter2' }, from: 'a@b.c', to: ['d@e.f'] };
    assert.deepEqual(redactSecrets(config, getNotifier('email')!.secretFields), { ...config, auth: { user: 'tocsin', pass: redacted } });
    assert.equal(config.auth.pass, 'hunter2', 'the original is untouched');
    assert.deepEqual(redactSecrets({ topic: 'ops' }, ['token', 'auth.pass']), { topic: 'ops' });
  });
});
