// Against the local Mosquitto (TOCSIN_TEST_MQTT_URL, default mqtt://127.0.0.1:1883, anonymous),
// on random topics; TLS and password logins against a private Mosquitto started by the test.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { filesProblem, skipUnless, tcpProblem } from '../test-support/availability.js';
import { closedPort, startSilentServer, type SilentServer } from '../test-support/local-ports.js';
import { mosquittoPath, startTlsMosquitto, type TestBroker } from '../test-support/mosquitto.js';
import { assertNoOpenSockets } from '../test-support/open-sockets.js';
import { isValidConfig, runCheck } from '../test-support/run-check.js';
import { mqttChecker } from './mqtt-checker.js';

const brokerUrl = process.env.TOCSIN_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const broker = new URL(brokerUrl);
const topic = (name: string) => `tocsin/test/${randomBytes(4).toString('hex')}/${name}`;

async function publishRetained(topicName: string, payload: string): Promise<void> {
  const client = await mqtt.connectAsync(brokerUrl, { reconnectPeriod: 0 });
  await client.publishAsync(topicName, payload, { qos: 1, retain: true });
  await client.endAsync();
}

describe('mqtt checker', { skip: skipUnless('MQTT', await tcpProblem(broker.hostname, Number(broker.port || 1883))) }, () => {
  let silent: SilentServer;
  const retainedTopic = topic('status');

  before(async () => {
    silent = await startSilentServer();
    await publishRetained(retainedTopic, 'online');
  });

  after(async () => {
    await publishRetained(retainedTopic, ''); // an empty retained message clears it
    await silent?.close();
    await assertNoOpenSockets();
  });

  it('is up when the broker accepts the connection', async () => {
    const outcome = await runCheck(mqttChecker, { url: brokerUrl });
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, /^broker accepted the connection in .* ms$/);
  });

  it('publishes a probe and sees it come back', async () => {
    for (const qos of [0, 1, 2]) {
      const outcome = await runCheck(mqttChecker, { url: brokerUrl, topic: topic('probe'), publish: true, qos });
      assert.equal(outcome.up, true, outcome.detail);
      assert.match(outcome.detail, /^probe message came back in .* ms$/);
    }
  });

  it('sees a retained message, and checks its payload', async () => {
    const any = await runCheck(mqttChecker, { url: brokerUrl, topic: retainedTopic });
    assert.equal(any.up, true, any.detail);
    assert.match(any.detail, new RegExp(`^message on '${retainedTopic}' \\("online"\\) in`));
    const expected = await runCheck(mqttChecker, { url: brokerUrl, topic: retainedTopic, expectedPayload: 'online' });
    assert.equal(expected.up, true, expected.detail);
    const other = await runCheck(mqttChecker, { url: brokerUrl, topic: retainedTopic, expectedPayload: 'offline' }, 300);
    assert.deepEqual([other.up, other.detail], [false, `timed out after 300 ms waiting for a message on '${retainedTopic}'`]);
  });

  it('is down when nothing is published on a quiet topic', async () => {
    const quiet = topic('quiet');
    const outcome = await runCheck(mqttChecker, { url: brokerUrl, topic: quiet }, 300);
    assert.deepEqual([outcome.up, outcome.detail], [false, `timed out after 300 ms waiting for a message on '${quiet}'`]);
  });

  it('is down when the connection is refused', async () => {
    const outcome = await runCheck(mqttChecker, { url: `mqtt://127.0.0.1:${await closedPort()}` });
    assert.deepEqual([outcome.up, outcome.detail], [false, 'connection refused']);
  });

  it('gives up on a broker that never answers, at the timeout', async () => {
    const outcome = await runCheck(mqttChecker, { url: `mqtt://127.0.0.1:${silent.port}` }, 300);
    assert.deepEqual([outcome.up, outcome.detail], [false, 'timed out after 300 ms']);
  });

  it('validates its config', async () => {
    assert.equal(isValidConfig(mqttChecker, { url: 'tcp://broker' }), false);
    assert.equal(isValidConfig(mqttChecker, { url: 'mqtt://broker', qos: 3 }), false);
    const wildcard = await runCheck(mqttChecker, { url: brokerUrl, topic: 'sensors/#', publish: true });
    assert.deepEqual([wildcard.up, wildcard.detail], [false, "cannot publish a probe to the wildcard topic 'sensors/#'"]);
  });
});

describe('mqtt checker with TLS and a password', { skip: skipUnless('MQTT TLS', filesProblem({ [mosquittoPath]: 'mosquitto', '/usr/bin/openssl': 'openssl' })) }, () => {
  let tlsBroker: TestBroker;

  before(async () => {
    tlsBroker = await startTlsMosquitto('probe', `pw-${randomBytes(6).toString('hex')}`);
  });

  after(async () => {
    await tlsBroker?.stop();
    await assertNoOpenSockets();
  });

  it('logs in over mqtts://, and is down on a wrong password or an untrusted certificate', async () => {
    const url = `mqtts://localhost:${tlsBroker.port}`;
    const good = await runCheck(mqttChecker, { url, username: tlsBroker.user, password: tlsBroker.password, ignoreTls: true, topic: topic('tls'), publish: true });
    assert.equal(good.up, true, good.detail);
    const wrong = await runCheck(mqttChecker, { url, username: tlsBroker.user, password: 'wrong', ignoreTls: true });
    assert.deepEqual([wrong.up, wrong.detail], [false, "authentication failed for user 'probe' (not authorized)"]);
    const strict = await runCheck(mqttChecker, { url, username: tlsBroker.user, password: tlsBroker.password });
    assert.deepEqual([strict.up, strict.detail], [false, 'TLS certificate is self-signed']);
  });
});
