import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../logger.js';
import { openStore, type Store } from '../store/connect.js';
import { DataAccess } from '../store/data-access.js';
import { createTestStore, skipReason } from '../store/test-support/databases.js';
import { Dispatcher, type DispatcherOptions } from './dispatcher.js';
import { alertTestbed, type AlertTestbed } from './test-support/alert-testbed.js';
import { startWebhookReceiver, type WebhookReceiver } from './test-support/webhook-receiver.js';
import { ChannelRepository } from './store/channel-repository.js';
import { OutboxRepository } from './store/outbox-repository.js';
import { until } from '../app/test-support/until.js';

const fast: Partial<DispatcherOptions> = {
  pollIntervalMs: 20, attemptTimeoutMs: 2000, leaseMs: 10_000,
  backoff: { baseMs: 30, maxMs: 200, maxAttempts: 5, maxAgeMs: 60_000 },
};

function dispatcher(store: Store, bed: AlertTestbed, instanceId: string, options: Partial<DispatcherOptions> = {}): Dispatcher {
  return new Dispatcher(new DataAccess(store), bed.box, silentLogger(), { instanceId, now: Date.now, ...fast, ...options });
}

describe('notification dispatcher [sqlite]', () => {
  let db: Awaited<ReturnType<typeof createTestStore>>;
  let receiver: WebhookReceiver;
  let bed: AlertTestbed;
  let running: Dispatcher;
  before(async () => {
    db = await createTestStore('sqlite');
    receiver = await startWebhookReceiver();
    bed = await alertTestbed(db.store);
    running = dispatcher(db.store, bed, 'd1');
    running.start();
  });
  after(async () => {
    await running.stop();
    await receiver.close();
    await db.drop();
  });

  it('retries after 500s with backoff, then delivers once and records every attempt', async () => {
    receiver.respond((hook) => (hook.path.includes('retry') && receiver.hooks.filter((h) => h.path.includes('retry')).length <= 2 ? { status: 500, body: 'oops' } : { status: 200 }));
    const svc = await bed.service('web/retry');
    const channel = await bed.channel({ url: `${receiver.url}?retry` });
    await bed.transition(svc, 'up', 'down', Date.now());
    const [item] = await until('sent', async () => (await bed.outboxFor(svc)).filter((i) => i.status === 'sent').length === 1 && bed.outboxFor(svc));
    assert.equal(item.attempts, 3);
    const attempts = await new OutboxRepository(db.store.db, 'sqlite').attemptsFor([item.id]);
    assert.deepEqual(attempts.map((a) => [a.ok, a.statusCode, a.permanent]), [[false, 500, false], [false, 500, false], [true, 200, false]]);
    assert.match(attempts[0].error ?? '', /HTTP 500/);
    assert.ok(attempts[1].at - attempts[0].at >= 20, 'waited before retrying');
    const hooks = receiver.hooks.filter((h) => h.path.includes('retry'));
    assert.equal(new Set(hooks.map((h) => h.key)).size, 1, 'every retry carries the same X-Tocsin-Key');
    assert.equal(hooks[0].body.event.kind, 'down');
    assert.match(hooks[0].body.message.title, /web\/retry is down/);
    const saved = await new ChannelRepository(db.store.db, bed.box).findById(channel.id);
    assert.ok(saved?.lastSuccessAt);
  });

  it('stops at once on a permanent error (400) and shows it as the channel last error', async () => {
    receiver.respond((hook) => (hook.path.includes('bad') ? { status: 400, body: 'no such hook' } : { status: 200 }));
    const svc = await bed.service('web/bad');
    const channel = await bed.channel({ url: `${receiver.url}?bad` });
    await bed.transition(svc, 'up', 'down', Date.now());
    const [item] = await until('failed', async () => (await bed.outboxFor(svc)).some((i) => i.status === 'failed') && bed.outboxFor(svc));
    assert.equal(item.attempts, 1);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(receiver.hooks.filter((h) => h.path.includes('bad')).length, 1, 'never retried');
    const saved = await new ChannelRepository(db.store.db, bed.box).findById(channel.id);
    assert.match(saved?.lastError ?? '', /HTTP 400.*no such hook/);
    assert.ok(saved?.lastErrorAt);
  });

  it('a slow channel does not delay another one', async () => {
    let firstSlowAnswer = Infinity;
    receiver.respond(async (hook) => {
      if (hook.path.includes('slow')) {
        await new Promise((r) => setTimeout(r, 2000));
        firstSlowAnswer = Math.min(firstSlowAnswer, Date.now());
      }
      return { status: 200 };
    });
    const slowSvc = await bed.service('slow/a');
    const fastSvc = await bed.service('quick/b');
    await bed.channel({ url: `${receiver.url}?slow`, flapping: false }, [{ path: `${bed.namespace}/slow` }]);
    await bed.channel({ url: `${receiver.url}?quick` }, [{ path: `${bed.namespace}/quick` }]);
    const start = Date.now();
    for (let i = 0; i < 12; i++) await bed.transition(slowSvc, i % 2 ? 'down' : 'up', i % 2 ? 'up' : 'down', start + i);
    await receiver.waitFor(8, (h) => h.path.includes('slow'), 3000);
    await bed.transition(fastSvc, 'up', 'down', Date.now());
    const [quick] = await receiver.waitFor(1, (h) => h.path.includes('quick'), 3000);
    assert.ok(quick.at < firstSlowAnswer, 'the quick channel was served while every slot of the slow one was busy');
    assert.equal(receiver.hooks.filter((h) => h.path.includes('slow')).length, 8, 'the slow channel holds at most its own concurrency');
  });
});

for (const dialect of ['postgres', 'mysql'] as const) {
  describe(`two dispatchers sharing one ${dialect} database`, { skip: skipReason(dialect) }, () => {
    let db: Awaited<ReturnType<typeof createTestStore>>;
    let second: Store;
    let receiver: WebhookReceiver;
    before(async () => {
      db = await createTestStore(dialect);
      second = openStore({ dialect, location: db.url });
      receiver = await startWebhookReceiver();
    });
    after(async () => {
      await second.close();
      await receiver.close();
      await db.drop();
    });

    it('never send one notification twice', async () => {
      const bed = await alertTestbed(db.store);
      const services = [];
      for (let i = 0; i < 60; i++) services.push(await bed.service(`p/s${i}`));
      await bed.channel({ url: receiver.url });
      await bed.channel({ url: `${receiver.url}?second-channel` });
      // Each answer takes a while, so one dispatcher fills its slots (4 per channel, claimed 4 rounds
      // ahead) and must leave rows to the other: with instant answers one of them could free its
      // slots as fast as it claims and send all 120 before the other's first poll.
      receiver.respond(async () => {
        await new Promise((r) => setTimeout(r, 20));
        return { status: 200 };
      });
      const a = dispatcher(db.store, bed, 'a', { perChannelConcurrency: 4, pollIntervalMs: 5 });
      const b = dispatcher(second, bed, 'b', { perChannelConcurrency: 4, pollIntervalMs: 5 });
      a.start();
      b.start();
      try {
        const at = Date.now();
        await Promise.all(services.map((s) => bed.transition(s, 'up', 'down', at)));
        await receiver.waitFor(120, undefined, 15_000);
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        await a.stop();
        await b.stop();
      }
      const perKey = new Map<string, number>();
      for (const hook of receiver.hooks) perKey.set(`${hook.path}|${hook.key}`, (perKey.get(`${hook.path}|${hook.key}`) ?? 0) + 1);
      assert.equal(perKey.size, 120);
      assert.deepEqual([...perKey.values()].filter((n) => n > 1), [], 'no notification arrived twice');
      const instances = await db.store.db.selectFrom('notification_attempts').select('instance_id').distinct().execute();
      assert.equal(instances.length, 2, 'both dispatchers took a share');
    });

    it('two claims at the same moment take different rows, each as many as it asked for', async () => {
      const bed = await alertTestbed(db.store);
      const channel = await bed.channel({ url: receiver.url });
      const at = Date.now();
      for (let i = 0; i < 40; i++) await bed.transition(await bed.service(`claims/s${i}`), 'up', 'down', at);
      const options = { now: Date.now() + 1000, limit: 5, leaseMs: 60_000, excludeChannels: [], freeSlots: () => 5 };
      const first = new OutboxRepository(db.store.db, dialect);
      const other = new OutboxRepository(second.db, dialect);
      const seen = new Set<number>();
      // Without SKIP LOCKED both read the same oldest rows and whichever updates second got none.
      for (let round = 0; round < 4; round++) {
        const [a, b] = await Promise.all([first.claimDue({ ...options, instanceId: 'a' }), other.claimDue({ ...options, instanceId: 'b' })]);
        assert.deepEqual([a.length, b.length], [5, 5], `round ${round}: each claim got its 5 rows`);
        for (const item of [...a, ...b]) {
          assert.equal(item.channelId, channel.id);
          assert.ok(!seen.has(item.id), `row ${item.id} was claimed twice`);
          seen.add(item.id);
        }
      }
    });
  });
}
