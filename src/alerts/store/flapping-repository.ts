// Which services are flapping for which channel. The primary key makes "start flapping" a claim:
// of two instances seeing the same burst, only one inserts the row and sends the message.
import type { DialectName } from '../../store/database-url.js';
import type { Executor } from '../../store/executor.js';

export interface FlappingEntry {
  channelId: string;
  serviceId: string;
  since: number;
}

export const flappingKey = (channelId: string, serviceId: string) => `${channelId}|${serviceId}`;

export class FlappingRepository {
  constructor(private readonly db: Executor, private readonly dialect: DialectName) {}

  /** True when this call started the flapping period (the row was not there yet). */
  async start(channelId: string, serviceId: string, since: number): Promise<boolean> {
    const values = { channel_id: channelId, service_id: serviceId, since };
    const query = this.dialect === 'mysql'
      ? this.db.insertInto('notification_flapping').orIgnore().values(values)
      : this.db.insertInto('notification_flapping').values(values).onConflict((oc) => oc.columns(['channel_id', 'service_id']).doNothing());
    const result = await query.executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async isFlapping(channelId: string, serviceId: string): Promise<boolean> {
    const row = await this.db.selectFrom('notification_flapping').select('since')
      .where('channel_id', '=', channelId).where('service_id', '=', serviceId).executeTakeFirst();
    return row !== undefined;
  }

  /** "channel|service" keys of the flapping periods of some channels. */
  async keysForChannels(channelIds: string[]): Promise<Set<string>> {
    if (channelIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('notification_flapping').select(['channel_id', 'service_id']).where('channel_id', 'in', channelIds).execute();
    return new Set(rows.map((r) => flappingKey(r.channel_id, r.service_id)));
  }

  async listAll(): Promise<FlappingEntry[]> {
    const rows = await this.db.selectFrom('notification_flapping').selectAll().execute();
    return rows.map((r) => ({ channelId: r.channel_id, serviceId: r.service_id, since: Number(r.since) }));
  }

  /** True when this call ended the flapping period (another instance did not end it first). */
  async end(channelId: string, serviceId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('notification_flapping')
      .where('channel_id', '=', channelId).where('service_id', '=', serviceId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
