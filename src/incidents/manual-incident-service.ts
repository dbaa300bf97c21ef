// Incidents written by people: a title, progress updates (investigating → identified →
// monitoring → resolved) and the services they affect. Manual incidents never set
// incidents.service_id, so a service's recovery never resolves what people opened.
import { randomUUID } from 'node:crypto';
import { requireRole, type Actor } from '../auth/actor.js';
import type { Namespace } from '../domain/catalog.js';
import { badRequest, notFound } from '../domain/errors.js';
import type { Incident } from '../domain/incident.js';
import type { DataAccess } from '../store/data-access.js';
import type { Repositories } from '../store/repositories.js';
import type { AddIncidentUpdateInput, CreateIncidentInput } from './incident-input.js';
import { IncidentServicesRepository } from './incident-services-repository.js';
import { slugsWithin } from './namespace-paths.js';

export interface AffectedService {
  id: string;
  path: string;
  name: string;
}

export type IncidentWithServices = Incident & { affectedServices: AffectedService[] };

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class ManualIncidentService {
  constructor(
    private readonly data: DataAccess,
    private readonly now: () => number,
    /** Told after every change (status page caches). */
    private readonly onChanged: () => void = () => {},
  ) {}

  async create(actor: Actor, namespaceId: string, input: CreateIncidentInput): Promise<IncidentWithServices> {
    const ns = await this.data.repos.namespaces.findById(namespaceId);
    if (!ns) throw notFound('namespace');
    requireRole(actor, ns.id, 'editor');
    const serviceIds = await resolveServices(this.data.repos, ns, input.services ?? []);
    const id = randomUUID();
    const at = this.now();
    const resolved = input.status === 'resolved';
    await this.data.transaction(async (repos, trx) => {
      await repos.incidents.insert({
        id, service_id: null, namespace_id: ns.id, title: input.title, cause: null,
        status: resolved ? 'resolved' : 'open', origin: 'manual', opened_at: at, resolved_at: resolved ? at : null,
      });
      await repos.incidents.addUpdate(id, at, input.status, input.message);
      await new IncidentServicesRepository(trx).add(id, serviceIds);
    });
    this.onChanged();
    return this.get(actor, id);
  }

  /** Adds a progress update; "resolved" resolves the incident, any other status reopens it. */
  async addUpdate(actor: Actor, incidentId: string, input: AddIncidentUpdateInput): Promise<IncidentWithServices> {
    const incident = await this.data.repos.incidents.findById(incidentId);
    if (!incident) throw notFound('incident');
    requireRole(actor, incident.namespaceId, 'editor');
    const at = this.now();
    await this.data.transaction(async (repos, trx) => {
      await repos.incidents.addUpdate(incidentId, at, input.status, input.message);
      if (input.status === 'resolved') await repos.incidents.resolve(incidentId, at);
      else if (incident.status === 'resolved') {
        await trx.updateTable('incidents').set({ status: 'open', resolved_at: null }).where('id', '=', incidentId).execute();
      }
    });
    this.onChanged();
    return this.get(actor, incidentId);
  }

  async get(actor: Actor, incidentId: string): Promise<IncidentWithServices> {
    const incident = await this.data.repos.incidents.findById(incidentId);
    if (!incident) throw notFound('incident');
    requireRole(actor, incident.namespaceId, 'viewer');
    const ids = (await new IncidentServicesRepository(this.data.db).listFor([incident.id])).get(incident.id) ?? [];
    if (incident.serviceId) ids.unshift(incident.serviceId);
    const services = await this.data.repos.services.findByIds(ids);
    return { ...incident, affectedServices: services.map((s) => ({ id: s.id, path: s.path, name: s.name })) };
  }
}

async function resolveServices(repos: Repositories, ns: Namespace, refs: string[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const [i, ref] of refs.entries()) {
    const where = `services[${i}]`;
    const service = uuidShape.test(ref)
      ? await repos.services.findById(ref)
      : await repos.services.findBySlugs(ns.slug, ...(slugsWithin(ns, ref, 3, where) as [string, string]));
    if (!service || service.namespaceId !== ns.id) throw badRequest(`${where}: service "${ref}" does not exist in namespace "${ns.slug}"`);
    ids.add(service.id);
  }
  return [...ids];
}
