import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { downEvent, downEventText, fixedNow, upEvent } from '../test-support/notifier-fixtures.js';
import type { AlertKind } from '../types.js';
import { renderMessage } from './render-message.js';
import { checkTemplateOverrides } from './template-overrides.js';
import { relativeTime } from './view-model.js';

describe('renderMessage', () => {
  it('renders a down alert with cause, target, since (ISO and relative) and link', () => {
    const message = renderMessage(downEvent());
    assert.equal(message.title, '[DOWN] acme/website/api is down');
    assert.equal(message.text, downEventText);
    assert.ok(message.markdown.startsWith('**Public API** (acme/website/api) is **down**'));
    assert.ok(message.markdown.endsWith('[Open in Tocsin](https://tocsin.acme.test/services/acme/website/api)'));
    assert.ok(message.html.endsWith('<a href="https://tocsin.acme.test/services/acme/website/api">Open in Tocsin</a>'));
    assert.ok(message.mrkdwn.endsWith('<https://tocsin.acme.test/services/acme/website/api|Open in Tocsin>'));
  });

  it('says how long the incident lasted on recovery', () => {
    const message = renderMessage(upEvent());
    assert.equal(message.title, '[UP] acme/website/api is back up');
    assert.match(message.text, /^Public API \(acme\/website\/api\) is back up after being down for 12m 5s\n/);
    assert.match(message.text, /Incident opened 2024-05-01T11:52:55Z, resolved 2024-05-01T12:05:00Z/);
  });

  it('leaves out the lines of facts it does not have', () => {
    const message = renderMessage(downEvent({ cause: null, link: null, since: null, service: { ...downEvent().service, target: null } }));
    assert.equal(message.text, 'Public API (acme/website/api) is down\nPrevious state: up');
  });

  it('uses the state in titles (a late heartbeat) and measures reminders to their own time', () => {
    const late = renderMessage(downEvent({ state: 'late', cause: 'no check-in for 5m', service: { ...downEvent().service, kind: 'heartbeat' } }));
    assert.equal(late.title, '[LATE] acme/website/api is late');
    const reminder = renderMessage(downEvent({ kind: 'reminder', at: fixedNow + 3_600_000 }));
    assert.equal(reminder.title, '[STILL DOWN] acme/website/api is still down');
    assert.match(reminder.text, /is still down after 1h 5m: expected/);
    assert.match(reminder.text, /\(1h 5m ago\)/);
  });

  it('has a non-empty default for every kind', () => {
    for (const kind of ['down', 'up', 'reminder', 'flapping', 'settled', 'test'] satisfies AlertKind[]) {
      const message = renderMessage(downEvent({ kind }));
      for (const [field, value] of Object.entries(message)) assert.ok(value.length > 10, `${kind}.${field} is empty`);
    }
  });

  it('escapes HTML in the html flavour only, and Slack reserved characters in mrkdwn', () => {
    const event = downEvent({ cause: 'body had <script> & "quotes"' });
    const message = renderMessage(event);
    assert.match(message.text, /body had <script> & "quotes"/);
    assert.match(message.markdown, /body had <script> & "quotes"/);
    assert.match(message.html, /body had &lt;script&gt; &amp; &quot;quotes&quot;/);
    assert.match(message.mrkdwn, /body had &lt;script&gt; &amp; "quotes"/);
  });

  it('renders a channel template in every flavour and keeps its layout', () => {
    const message = renderMessage(downEvent(), {
      title: '{{upper service.name}} {{state}}',
      body: '{{bold service.path}} {{cause}}\n\n{{linkTo link "details"}} {{code state}}',
    });
    assert.equal(message.title, 'PUBLIC API down');
    assert.equal(message.text, 'acme/website/api expected status 200-299, got 503\n\ndetails: https://tocsin.acme.test/services/acme/website/api down');
    assert.equal(message.markdown, '**acme/website/api** expected status 200-299, got 503\n\n[details](https://tocsin.acme.test/services/acme/website/api) `down`');
    assert.equal(message.html, '<b>acme/website/api</b> expected status 200-299, got 503\n\n<a href="https://tocsin.acme.test/services/acme/website/api">details</a> <code>down</code>');
    assert.equal(message.mrkdwn, '*acme/website/api* expected status 200-299, got 503\n\n<https://tocsin.acme.test/services/acme/website/api|details> `down`');
  });

  it('keeps the default body when only the title is overridden', () => {
    assert.equal(renderMessage(downEvent(), { title: 'custom' }).text, renderMessage(downEvent()).text);
  });

  it('measures relative times to the given moment', () => {
    assert.equal(relativeTime(fixedNow, fixedNow + 300), 'just now');
    assert.equal(relativeTime(fixedNow, fixedNow + 90_000), '1m 30s ago');
    assert.equal(relativeTime(fixedNow + 300_000, fixedNow), 'in 5m');
    assert.match(renderMessage(downEvent(), undefined, fixedNow + 600_000).text, /\(15m ago\)/);
  });
});

describe('checkTemplateOverrides', () => {
  it('accepts good templates and none', () => {
    assert.deepEqual(checkTemplateOverrides(undefined), []);
    assert.deepEqual(checkTemplateOverrides({ title: '{{service.path}}', body: '{{#if cause}}{{cause}}{{/if}}' }), []);
  });

  it('reports templates that do not compile or call unknown helpers, with their path', () => {
    const errors = checkTemplateOverrides({ title: '{{#if cause}}unclosed', body: '{{shout service.name}}' });
    assert.deepEqual(errors.map((e) => e.path), ['/template/title', '/template/body']);
    assert.match(errors[0].message, /^template does not compile: /);
    assert.match(errors[1].message, /shout/);
  });
});
