import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { MaintenanceRepository } from '../maintenance/maintenance-repository.js';
import { describeEachDatabase } from '../store/test-support/databases.js';
import { enqueueReminders, settleFlapping } from './periodic-alerts.js';
import { OutboxRepository } from './store/outbox-repository.js';
import { admin, alertTestbed } from './test-support/alert-testbed.js';

const t0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const url = 'http://127.0.0.1:9/hook';

describeEachDatabase('alerts into the outbox', (getStore) => {
  it('writes the alert in the transaction of the state change: a rollback leaves no row', async () => {
    const bed = await alertTestbed(getStore());
    const svc = await bed.service('web/api');
    await bed.channel({ url });
    const rolledBack = new Error('roll back');
    await assert.rejects(bed.ctx.data.transaction(async (repos, trx) => {
      await bed.ctx.transitions.record({ service: svc, from: 'up', to: 'down', at: t0, cause: 'boom', openIncident: true }, repos, trx);
      assert.equal((await trx.selectFrom('notification_outbox').select('id').where('service_id', '=', svc.id).execute()).length, 1, 'visible inside');
      throw rolledBack;
    }), rolledBack);
    assert.deepEqual(await bed.outboxFor(svc), []);

    await bed.transition(svc, 'up', 'down', t0, 'connection refused');
    const [item] = await bed.outboxFor(svc);
    assert.equal(item.kind, 'down');
    assert.equal(item.status, 'pending');
    assert.equal(item.event.cause, 'connection refused');
    assert.equal(item.event.service.path, `${bed.namespace}/web/api`);
    assert.equal(item.event.service.target, '127.0.0.1:9');
    assert.equal(item.event.link, `https://tocsin.test/services/${bed.namespace}/web/api`);
    assert.ok(item.event.incident?.id);
  });

  it('a flapping window stored before windows were bounded (1e23 ms) does not fail the state change', async () => {
    const bed = await alertTestbed(getStore());
    const svc = await bed.service('web/legacy');
    const channel = await bed.channel({ url });
    await bed.ctx.data.db.updateTable('notification_channels')
      .set({ policy: '{"flapping":{"changes":2,"windowMs":1e23}}' }).where('id', '=', channel.id).execute();
    await bed.transition(svc, 'up', 'down', t0);
    assert.deepEqual((await bed.outboxFor(svc)).map((i) => i.kind), ['down']);
  });

  it('sends down and recovery with the incident duration; nothing for pending, paused, maintenance or unknown', async () => {
    const bed = await alertTestbed(getStore());
    const svc = await bed.service('web/site');
    await bed.channel({ url });
    await bed.transition(svc, 'unknown', 'up', t0);
    await bed.transition(svc, 'up', 'pending', t0 + 1000);
    await bed.transition(svc, 'pending', 'down', t0 + 2000);
    await bed.transition(svc, 'down', 'up', t0 + 62_000);
    await bed.transition(svc, 'up', 'maintenance', t0 + 70_000);
    await bed.transition(svc, 'maintenance', 'up', t0 + 80_000);
    await bed.transition(svc, 'up', 'paused', t0 + 90_000);
    const items = await bed.outboxFor(svc);
    assert.deepEqual(items.map((i) => i.kind), ['down', 'up']);
    assert.equal(items[1].event.incident?.durationMs, 60_000);
    assert.equal(items[1].event.previousState, 'down');
  });

  it('routes by path prefix and tag filters, only enabled channels of the namespace', async () => {
    const bed = await alertTestbed(getStore());
    const api = await bed.service('web/api', { tags: ['prod'] });
    const staging = await bed.service('web/staging', { tags: ['staging'] });
    const other = await bed.service('batch/nightly');
    const all = await bed.channel({ url });
    const web = await bed.channel({ url }, [{ path: `${bed.namespace}/web` }]);
    const prodOnly = await bed.channel({ url }, [{ path: bed.namespace, tags: ['prod', 'critical'] }]);
    const one = await bed.channel({ url }, [{ path: `${bed.namespace}/batch/nightly` }]);
    await bed.channel({ url, enabled: false });
    for (const svc of [api, staging, other]) await bed.transition(svc, 'up', 'down', t0);
    const channelsOf = async (svc: typeof api) => (await bed.outboxFor(svc)).map((i) => i.channelId).sort();
    assert.deepEqual(await channelsOf(api), [all.id, web.id, prodOnly.id].sort());
    assert.deepEqual(await channelsOf(staging), [all.id, web.id].sort());
    assert.deepEqual(await channelsOf(other), [all.id, one.id].sort());
  });

  it('heartbeats follow the Missme rule: one message when missing, none when late, one when back', async () => {
    const bed = await alertTestbed(getStore());
    const hb = await bed.service('jobs/backup', { kind: 'heartbeat' });
    const check = await bed.service('jobs/web');
    await bed.channel({ url, events: ['down', 'up', 'late', 'pending', 'reminder'], reminderInterval: '5m' });
    await bed.transition(hb, 'up', 'late', t0);
    await bed.transition(hb, 'late', 'down', t0 + 60_000);
    await bed.transition(check, 'up', 'pending', t0);
    assert.equal(await enqueueReminders(bed.ctx.data, bed.deps, t0 + 3_600_000), 0, 'no reminders for heartbeats');
    await bed.transition(hb, 'down', 'up', t0 + 120_000);
    assert.deepEqual((await bed.outboxFor(hb)).map((i) => [i.kind, i.event.state]), [['down', 'down'], ['up', 'up']]);
    assert.deepEqual((await bed.outboxFor(check)).map((i) => [i.kind, i.event.state]), [['down', 'pending']], 'checks get the early warning they asked for');
  });

  it('writes the rows of changes recorded together (recordMany), each keyed by its own event', async () => {
    const bed = await alertTestbed(getStore());
    const services: Awaited<ReturnType<typeof bed.service>>[] = [];
    for (let i = 0; i < 5; i++) services.push(await bed.service(`jobs/batch-${i}`, { kind: 'heartbeat', tags: i === 4 ? ['quiet'] : [] }));
    await bed.channel({ url });
    const tagged = await bed.channel({ url }, [{ path: bed.namespace, tags: ['quiet'] }]);
    const changes = await bed.ctx.data.transaction((repos, trx) => bed.ctx.transitions.recordMany(services.map((service, i) => ({
      service, from: 'up' as const, to: 'down' as const, at: t0 + (i % 2) * 1000, cause: `missed ${i}`, openIncident: true,
    })), repos, trx));
    for (const [i, svc] of services.entries()) {
      const items = await bed.outboxFor(svc);
      assert.equal(items.length, i === 4 ? 2 : 1, 'one row per routed channel');
      for (const item of items) {
        assert.equal(item.dedupKey, `change:${changes[i].eventId}:${item.channelId}`);
        assert.equal(item.event.cause, `missed ${i}`);
        assert.equal(item.event.at, t0 + (i % 2) * 1000);
        assert.equal(item.event.incident?.id, changes[i].incident?.id);
      }
    }
    assert.ok((await bed.outboxFor(services[4])).some((item) => item.channelId === tagged.id));
  });

  it('sends reminders every interval while down, each once even when two instances enqueue', async () => {
    const bed = await alertTestbed(getStore());
    const svc = await bed.service('web/reminded');
    await bed.channel({ url, reminderInterval: '10m' });
    await bed.channel({ url });
    await bed.transition(svc, 'up', 'down', t0);
    assert.equal(await enqueueReminders(bed.ctx.data, bed.deps, t0 + 9 * 60_000), 0);
    assert.equal(await enqueueReminders(bed.ctx.data, bed.deps, t0 + 10 * 60_000), 1);
    assert.equal(await enqueueReminders(bed.ctx.data, bed.deps, t0 + 11 * 60_000), 0, 'the same reminder is not enqueued twice');
    const [a, b] = await Promise.all([t0 + 20 * 60_000, t0 + 21 * 60_000].map((at) => enqueueReminders(bed.ctx.data, bed.deps, at)));
    assert.equal(a + b, 1);
    await bed.transition(svc, 'down', 'up', t0 + 25 * 60_000);
    assert.equal(await enqueueReminders(bed.ctx.data, bed.deps, t0 + 40 * 60_000), 0, 'no reminder once back up');
    const kinds = (await bed.outboxFor(svc)).map((i) => i.kind);
    assert.deepEqual(kinds.filter((k) => k === 'reminder').length, 2);
    const reminder = (await bed.outboxFor(svc)).find((i) => i.kind === 'reminder')!;
    assert.equal(reminder.event.since, t0);
    assert.equal(reminder.event.at, t0 + 10 * 60_000);
  });

  it('sends one flapping message instead of a stream, then one when it settles', async () => {
    const bed = await alertTestbed(getStore());
    const svc = await bed.service('web/flappy');
    await bed.channel({ url, flapping: { changes: 3, window: '10m' } });
    const states = ['up', 'down', 'up', 'down', 'up', 'down', 'up', 'down'] as const;
    for (let i = 1; i < states.length; i++) await bed.transition(svc, states[i - 1], states[i], t0 + i * 1000);
    assert.deepEqual((await bed.outboxFor(svc)).map((i) => i.kind), ['down', 'up', 'down', 'flapping']);
    assert.equal(await settleFlapping(bed.ctx.data, bed.deps, t0 + 5 * 60_000), 0, 'not stable for the window yet');
    assert.equal(await settleFlapping(bed.ctx.data, bed.deps, t0 + 7000 + 10 * 60_000), 1);
    assert.equal(await settleFlapping(bed.ctx.data, bed.deps, t0 + 7000 + 11 * 60_000), 0);
    const items = await bed.outboxFor(svc);
    assert.deepEqual(items.map((i) => i.kind), ['down', 'up', 'down', 'flapping', 'settled']);
    assert.equal(items[4].event.state, 'down');
    await bed.transition(svc, 'down', 'up', t0 + 20 * 60_000);
    assert.equal((await bed.outboxFor(svc)).at(-1)?.kind, 'up', 'alerts flow again after settling');
  });

  it('maintenance windows suppress alerts and reminders of the services they cover', async () => {
    const bed = await alertTestbed(getStore());
    const covered = await bed.service('maint/api');
    const outside = await bed.service('live/api');
    await bed.channel({ url, reminderInterval: '5m' });
    await new MaintenanceRepository(bed.ctx.data.db).insert({
      id: randomUUID(), namespace_id: covered.namespaceId, scope: 'project', scope_id: covered.projectId, title: 'upgrade', description: null,
      starts_at: t0 - 60_000, ends_at: t0 + 3_600_000, cron: null, duration_ms: null, time_zone: null, managed_by: null, created_at: t0, updated_at: t0,
    });
    await bed.maintenance.refresh(true);
    await bed.transition(covered, 'up', 'down', t0);
    await bed.transition(outside, 'up', 'down', t0);
    assert.deepEqual(await bed.outboxFor(covered), []);
    assert.equal((await bed.outboxFor(outside)).length, 1);
    assert.equal(await enqueueReminders(bed.ctx.data, bed.deps, t0 + 6 * 60_000), 1, 'only the service outside maintenance');
    assert.equal(await enqueueReminders(bed.ctx.data, bed.deps, t0 + 2 * 3_600_000), 2, 'after the window both are reminded');
  });

  it('prunes finished deliveries older than the retention, with their attempts, and keeps pending ones', async () => {
    const bed = await alertTestbed(getStore());
    const svc = await bed.service('web/pruned');
    await bed.channel({ url });
    await bed.transition(svc, 'up', 'down', t0);
    await bed.transition(svc, 'down', 'up', t0 + 1000);
    const outbox = new OutboxRepository(bed.ctx.data.db, bed.ctx.data.dialect);
    const [first] = await bed.outboxFor(svc);
    await bed.ctx.data.db.updateTable('notification_outbox').set({ status: 'sent' }).where('id', '=', first.id).execute();
    await outbox.addAttempts([{ outboxId: first.id, at: t0, durationMs: 5, ok: true, statusCode: 200, error: null, permanent: false, instanceId: 'x' }]);
    assert.equal(await outbox.pruneFinished(t0 + 10_000, 1), 1);
    assert.deepEqual((await bed.outboxFor(svc)).map((i) => i.status), ['pending']);
    assert.deepEqual(await outbox.attemptsFor([first.id]), []);
  });

  it('stores secret fields encrypted: the column holds no plaintext, reading decrypts', async () => {
    const bed = await alertTestbed(getStore());
    const channel = await bed.channels.create(admin, (await bed.ctx.data.repos.namespaces.findBySlug(bed.namespace))!.id,
      { name: 'secret', type: 'webhook', config: { url: 'https://hooks.example/abc-SECRET-PATH', secret: 'hunter2-signing', headers: { Authorization: 'Bearer TOPSECRET' } } });
    const row = await bed.ctx.data.db.selectFrom('notification_channels').selectAll().where('id', '=', channel.id).executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    for (const secret of ['SECRET-PATH', 'hunter2', 'TOPSECRET']) assert.ok(!stored.includes(secret), `${secret} must not be stored in clear`);
    assert.equal(channel.config.secret, 'hunter2-signing');
    assert.deepEqual(channel.config.headers, { Authorization: 'Bearer TOPSECRET' });
  });
});
