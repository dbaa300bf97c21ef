// Against the local RabbitMQ (TOCSIN_TEST_AMQP_URL, default amqp://guest:guest@127.0.0.1:5672/):
// the test declares its own queue with messages and a consumer, and deletes it afterwards.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { skipUnless, tcpProblem } from '../test-support/availability.js';
import { closedPort, startSilentServer, type SilentServer } from '../test-support/local-ports.js';
import { assertNoOpenSockets } from '../test-support/open-sockets.js';
import { isValidConfig, runCheck } from '../test-support/run-check.js';
import { rabbitmqChecker } from './rabbitmq-checker.js';

const brokerUrl = process.env.TOCSIN_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/';
const broker = new URL(brokerUrl);
const queue = `tocsin-probe-${randomBytes(4).toString('hex')}`;

describe('rabbitmq checker', { skip: skipUnless('RabbitMQ', await tcpProblem(broker.hostname, Number(broker.port || 5672))) }, () => {
  let silent: SilentServer;
  let admin: ChannelModel;
  let channel: Channel;

  before(async () => {
    silent = await startSilentServer();
    admin = await connect(brokerUrl);
    channel = await admin.createChannel();
    await channel.assertQueue(queue, { durable: false });
    channel.sendToQueue(queue, Buffer.from('one'));
    channel.sendToQueue(queue, Buffer.from('two'));
    await channel.checkQueue(queue); // a round trip, so both messages are in the queue
  });

  after(async () => {
    await channel?.deleteQueue(queue);
    await admin?.close();
    await silent?.close();
    await assertNoOpenSockets();
  });

  it('is up when the broker accepts the login', async () => {
    const outcome = await runCheck(rabbitmqChecker, { url: brokerUrl });
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, /^RabbitMQ [\d.]+ accepted the login in .* ms$/);
  });

  it('is down on a wrong password', async () => {
    const outcome = await runCheck(rabbitmqChecker, { url: brokerUrl, password: 'wrong' });
    assert.deepEqual([outcome.up, outcome.detail], [false, "authentication failed for user 'guest'"]);
  });

  it('reports message and consumer counts of a queue', async () => {
    const outcome = await runCheck(rabbitmqChecker, { url: brokerUrl, queue });
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, new RegExp(`^queue '${queue}' has 2 messages and 0 consumers \\(.* ms\\)$`));
  });

  it('is down with too few consumers or too many messages', async () => {
    const lonely = await runCheck(rabbitmqChecker, { url: brokerUrl, queue, minConsumers: 1 });
    assert.deepEqual([lonely.up, lonely.detail], [false, `queue '${queue}' has 0 consumers, expected at least 1`]);
    const backlog = await runCheck(rabbitmqChecker, { url: brokerUrl, queue, maxMessages: 1 });
    assert.deepEqual([backlog.up, backlog.detail], [false, `queue '${queue}' has 2 messages, more than 1`]);
  });

  it('counts a consumer once one is attached', async () => {
    const consumerChannel = await admin.createChannel();
    await consumerChannel.prefetch(1);
    await consumerChannel.consume(queue, () => {}, { noAck: false });
    try {
      const outcome = await runCheck(rabbitmqChecker, { url: brokerUrl, queue, minConsumers: 1 });
      assert.equal(outcome.up, true, outcome.detail);
      assert.match(outcome.detail, /and 1 consumer \(/);
    } finally {
      await consumerChannel.close(); // unacknowledged messages go back to the queue
    }
  });

  it('is down when the queue does not exist', async () => {
    const outcome = await runCheck(rabbitmqChecker, { url: brokerUrl, queue: `${queue}-missing` });
    assert.deepEqual([outcome.up, outcome.detail], [false, `queue '${queue}-missing' does not exist`]);
  });

  it('is down when the virtual host does not exist', async () => {
    const url = new URL(brokerUrl);
    url.pathname = '/tocsin-no-such-vhost';
    const outcome = await runCheck(rabbitmqChecker, { url: url.toString() });
    assert.deepEqual([outcome.up, outcome.detail], [
      false, "broker refused the virtual host 'tocsin-no-such-vhost' (it does not exist or the user may not use it)",
    ]);
  });

  it('is down when the connection is refused', async () => {
    const outcome = await runCheck(rabbitmqChecker, { url: `amqp://127.0.0.1:${await closedPort()}` });
    assert.deepEqual([outcome.up, outcome.detail], [false, 'connection refused']);
  });

  it('gives up on a broker that never answers, at the timeout', async () => {
    const outcome = await runCheck(rabbitmqChecker, { url: `amqp://127.0.0.1:${silent.port}` }, 300);
    assert.equal(outcome.up, false);
    assert.match(outcome.detail, /^(timed out after 300 ms|connection timed out)$/);
  });

  it('validates its config and never shows the password', () => {
    assert.equal(isValidConfig(rabbitmqChecker, { url: 'http://mq' }), false);
    assert.equal(isValidConfig(rabbitmqChecker, { url: 'amqp://mq', queue: 'jobs', maxMessages: -1 }), false);
    assert.equal(rabbitmqChecker.describeTarget({ url: 'amqp://app:secret@mq:5672/prod', queue: 'jobs', ignoreTls: false }), 'amqp://app@mq:5672/prod queue jobs');
  });
});
