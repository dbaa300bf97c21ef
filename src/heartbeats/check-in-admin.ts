// Business rules for a heartbeat's check-in credentials: its ping URL token, its Missme /
// statuspage key (stored hashed, so shown only when set), the project's ping key for slug URLs,
// and the URLs and curl lines users paste into their scripts.
import { randomUUID } from 'node:crypto';
import { requireRole, type Actor } from '../auth/actor.js';
import { randomToken, sha256Hex } from '../auth/secrets.js';
import type { AppContext } from '../app/context.js';
import type { Service } from '../domain/catalog.js';
import { badRequest, conflict } from '../domain/errors.js';
import { isUniqueViolation } from '../store/executor.js';
import type { HeartbeatConfig } from './heartbeat-config.js';
import type { HeartbeatRepository } from './heartbeat-repository.js';
import { evaluate } from './schedule.js';

export interface CheckInInfo {
  serviceId: string;
  pingUrl: string;
  startUrl: string;
  failUrl: string;
  logUrl: string;
  exitStatusUrl: string;
  slugUrl: string | null;
  kumaPushUrl: string;
  missme: { id: string; notifyUrl: string; keySet: boolean; curl: string };
  statuspage: { id: string; refreshUrl: string; keySet: boolean; curl: string };
  lastPingAt: number | null;
  runStartedAt: number | null;
  nextDeadline: number | null;
}

function heartbeatOnly(service: Service): void {
  if (service.kind !== 'heartbeat') throw badRequest(`${service.path} is an active check, not a heartbeat; it has no check-in URL`);
}

export class CheckInAdmin {
  constructor(private readonly ctx: AppContext, private readonly repo: HeartbeatRepository) {}

  async info(actor: Actor, serviceId: string, key?: string): Promise<CheckInInfo> {
    const service = await this.ctx.services.get(actor, serviceId);
    heartbeatOnly(service);
    let creds = (await this.repo.credentials(service.id))!;
    if (!creds.pingToken) {
      await this.repo.fillMissingPingTokens(randomUUID);
      creds = (await this.repo.credentials(service.id))!;
    }
    const base = this.ctx.settings.publicUrl;
    const pingUrl = `${base}/ping/${creds.pingToken}`;
    const pingKey = await this.repo.pingKey(creds.projectId);
    const legacyId = creds.legacyId ?? service.id;
    const shownKey = key ?? '<key>';
    return {
      serviceId: service.id, pingUrl,
      startUrl: `${pingUrl}/start`, failUrl: `${pingUrl}/fail`, logUrl: `${pingUrl}/log`, exitStatusUrl: `${pingUrl}/<exit-status>`,
      slugUrl: pingKey ? `${base}/ping/${pingKey}/${creds.slug}` : null,
      kumaPushUrl: `${base}/api/push/${creds.pingToken}?status=up&msg=OK&ping=`,
      missme: {
        id: legacyId, notifyUrl: `${base}/notify/${legacyId}`, keySet: creds.hasApiKey,
        curl: `curl -H "x-api-key: ${shownKey}" ${base}/notify/${legacyId}`,
      },
      statuspage: {
        id: legacyId, refreshUrl: `${base}/refresh/${legacyId}`, keySet: creds.hasApiKey,
        curl: `curl --header "X-Token: ${shownKey}" ${base}/refresh/${legacyId}`,
      },
      lastPingAt: creds.lastPingAt, runStartedAt: creds.runStartedAt,
      // Worked out here: the stored next_deadline may be earlier (steady-check-in.ts).
      nextDeadline: evaluate(service.config as unknown as HeartbeatConfig, { state: service.state, ...creds }, this.ctx.now()).nextDeadline,
    };
  }

  /** Sets (or generates) the Missme/statuspage key and optionally the legacy id; returns the key once. */
  async setApiKey(actor: Actor, serviceId: string, input: { key?: string; legacyId?: string | null }): Promise<{ key: string; info: CheckInInfo }> {
    const service = await this.ctx.services.get(actor, serviceId);
    requireRole(actor, service.namespaceId, 'editor');
    heartbeatOnly(service);
    const key = input.key ?? randomToken(32);
    await this.repo.setApiKey(service.id, sha256Hex(key), input.legacyId);
    return { key, info: await this.info(actor, service.id, key) };
  }

  /** Sets the ping token (e.g. an Uptime Kuma push token, to keep old URLs) or makes a new one. */
  async setPingToken(actor: Actor, serviceId: string, token?: string): Promise<CheckInInfo> {
    const service = await this.ctx.services.get(actor, serviceId);
    requireRole(actor, service.namespaceId, 'editor');
    heartbeatOnly(service);
    try {
      await this.repo.setPingToken(service.id, token ?? randomUUID());
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('another heartbeat already uses this token');
      throw err;
    }
    return this.info(actor, service.id);
  }

  async pingKey(actor: Actor, projectId: string, namespaceId: string): Promise<string | null> {
    requireRole(actor, namespaceId, 'viewer');
    return this.repo.pingKey(projectId);
  }

  async rotatePingKey(actor: Actor, projectId: string, namespaceId: string): Promise<string> {
    requireRole(actor, namespaceId, 'editor');
    const key = randomToken(16);
    await this.repo.setPingKey(projectId, key, this.ctx.now());
    return key;
  }

  async pings(actor: Actor, serviceId: string, limit: number) {
    const service = await this.ctx.services.get(actor, serviceId);
    return this.repo.recentPings(service.id, limit);
  }
}
