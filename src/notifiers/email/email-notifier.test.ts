// Against a real SMTP server: aiosmtpd (Debian python3-aiosmtpd) on a loopback port, which
// parses and reports every message it accepts.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { filesProblem, skipUnless } from '../../checks/test-support/availability.js';
import { aiosmtpdPath } from '../../checks/test-support/smtp-server.js';
import { assertConfigRejected, assertDeliveryError, downEvent, downEventText, sendWith, upEvent } from '../test-support/notifier-fixtures.js';
import { startSmtpRecorder, type SmtpRecorder } from '../test-support/smtp-recorder.js';
import { emailNotifier } from './email-notifier.js';

const skip = skipUnless('email notifier', filesProblem({ [aiosmtpdPath]: 'python3-aiosmtpd' }));
const auth = { user: 'tocsin', password: 's3cret' };

describe('email notifier', { skip }, () => {
  let open: SmtpRecorder;
  let authenticated: SmtpRecorder;
  before(async () => {
    [open, authenticated] = await Promise.all([startSmtpRecorder(), startSmtpRecorder(auth)]);
  });
  after(async () => {
    await Promise.all([open?.stop(), authenticated?.stop()]);
  });

  const base = () => ({ host: '127.0.0.1', port: open.port, from: 'Tocsin <alerts@acme.test>', to: ['ops@acme.test'] });

  it('delivers a multipart message: subject from the title, text and html parts', async () => {
    const count = open.received().length;
    const receipt = await sendWith(emailNotifier, { ...base(), to: ['ops@acme.test', 'Dev Team <dev@acme.test>'], cc: ['boss@acme.test'] });
    assert.equal(receipt.status, 250);
    assert.match(receipt.detail!, /queued as TESTQUEUEID/);
    const mail = await open.mail(count);
    assert.equal(mail.mail_from, 'alerts@acme.test');
    assert.deepEqual(mail.rcpt_tos, ['ops@acme.test', 'dev@acme.test', 'boss@acme.test']);
    assert.equal(mail.subject, '[DOWN] acme/website/api is down');
    assert.equal(mail.from, 'Tocsin <alerts@acme.test>');
    assert.equal(mail.to, 'ops@acme.test, Dev Team <dev@acme.test>');
    assert.equal(mail.cc, 'boss@acme.test');
    assert.equal(mail.x_tocsin_event, 'down');
    assert.equal(mail.content_type, 'multipart/alternative');
    assert.match(mail.message_id, /^<[0-9a-f]{32}@acme\.test>$/);
    assert.equal(receipt.externalId, mail.message_id);
    assert.equal(mail.text!.replace(/\r\n/g, '\n').trim(), downEventText);
    assert.match(mail.html!, /<b>\[DOWN\] acme\/website\/api is down<\/b>/);
    assert.match(mail.html!, /<b>Public API<\/b> \(acme\/website\/api\) is <b>down<\/b>: expected status 200-299, got 503<br>/);
    assert.match(mail.html!, /<a href="https:\/\/tocsin.acme.test\/services\/acme\/website\/api">Open in Tocsin<\/a>/);
  });

  it('logs in when the server requires it; a wrong password is permanent', async () => {
    const config = { ...base(), port: authenticated.port, auth: { user: auth.user, pass: auth.password } };
    const count = authenticated.received().length;
    await sendWith(emailNotifier, config, upEvent());
    assert.equal((await authenticated.mail(count)).subject, '[UP] acme/website/api is back up');
    await assertDeliveryError(sendWith(emailNotifier, { ...config, auth: { user: auth.user, pass: 'wrong' } }), { permanent: true, status: 535, includes: 'Authentication' });
    await assertDeliveryError(sendWith(emailNotifier, { ...base(), port: authenticated.port }), { permanent: true, status: 530 });
  });

  it('a rejected recipient is permanent; a partly rejected list is delivered and reported', async () => {
    await assertDeliveryError(sendWith(emailNotifier, { ...base(), to: ['reject@acme.test'] }), { permanent: true, status: 550, includes: 'Recipient address rejected' });
    const count = open.received().length;
    const receipt = await sendWith(emailNotifier, { ...base(), to: ['ops@acme.test', 'reject@acme.test'] });
    assert.match(receipt.detail!, /rejected: reject@acme.test/);
    assert.deepEqual((await open.mail(count)).rcpt_tos, ['ops@acme.test']);
  });

  it('a transient 4xx reply and an unreachable server are retryable', async () => {
    await assertDeliveryError(sendWith(emailNotifier, { ...base(), to: ['busy@acme.test'] }), { permanent: false, status: 451, includes: 'temporarily unavailable' });
    const unused = createServer();
    await new Promise<void>((resolve) => unused.listen(0, '127.0.0.1', resolve));
    const port = (unused.address() as { port: number }).port;
    await new Promise<void>((resolve) => unused.close(() => resolve()));
    await assertDeliveryError(sendWith(emailNotifier, { ...base(), port }), { permanent: false, includes: 'ECONNREFUSED' });
  });

  it('gives a retried event the same Message-ID and the next event another', async () => {
    const count = open.received().length;
    await sendWith(emailNotifier, base());
    await sendWith(emailNotifier, base());
    await sendWith(emailNotifier, base(), downEvent({ kind: 'reminder', at: downEvent().at + 3_600_000 }));
    const [first, retry, next] = await Promise.all([open.mail(count), open.mail(count + 1), open.mail(count + 2)]);
    assert.equal(first.message_id, retry.message_id);
    assert.notEqual(first.message_id, next.message_id);
  });

  it('rejects bad configs', () => {
    assertConfigRejected('email', { ...base(), to: [] }, '/to');
    assertConfigRejected('email', { ...base(), to: ['not an address'] }, '/to/0');
    assertConfigRejected('email', { ...base(), port: 70000 }, '/port');
    assertConfigRejected('email', { ...base(), auth: { user: 'x' } }, '/auth');
    assertConfigRejected('email', { ...base(), from: undefined });
  });
});
