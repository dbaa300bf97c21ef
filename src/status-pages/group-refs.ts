// Turns the slug paths people write in groups into ids (and back for display). Paths may be
// absolute ("acme/web/api") or relative to the page's namespace ("web/api"); a page only shows
// services of its own namespace.
import { badRequest } from '../domain/errors.js';
import { slugsWithin } from '../incidents/namespace-paths.js';
import type { Namespace } from '../domain/catalog.js';
import type { Repositories } from '../store/repositories.js';
import type { GroupInput } from './status-page-input.js';
import type { StoredGroup } from './status-page.js';

export async function resolveGroups(repos: Repositories, ns: Namespace, groups: GroupInput[]): Promise<StoredGroup[]> {
  const out: StoredGroup[] = [];
  for (const [i, group] of groups.entries()) {
    const where = `groups[${i}]`;
    if ((group.project === undefined) === (group.services === undefined)) {
      throw badRequest(`${where}: give either "project" or "services", not both or neither`);
    }
    if (group.project !== undefined) {
      const [projectSlug] = slugsWithin(ns, group.project, 2, where);
      const project = await repos.projects.findBySlugs(ns.slug, projectSlug);
      if (!project) throw badRequest(`${where}: project "${ns.slug}/${projectSlug}" does not exist`);
      out.push({ name: group.name, projectId: project.id });
      continue;
    }
    const serviceIds: string[] = [];
    for (const path of group.services ?? []) {
      const [projectSlug, serviceSlug] = slugsWithin(ns, path, 3, where);
      const service = await repos.services.findBySlugs(ns.slug, projectSlug, serviceSlug);
      if (!service) throw badRequest(`${where}: service "${ns.slug}/${projectSlug}/${serviceSlug}" does not exist`);
      if (!serviceIds.includes(service.id)) serviceIds.push(service.id);
    }
    out.push({ name: group.name, serviceIds });
  }
  return out;
}

/** Groups as paths, for the API; objects deleted since are left out. */
export async function describeGroups(repos: Repositories, groups: StoredGroup[]): Promise<GroupInput[]> {
  const serviceIds = groups.flatMap((g) => g.serviceIds ?? []);
  const services = new Map((await repos.services.findByIds(serviceIds)).map((s) => [s.id, s.path]));
  const out: GroupInput[] = [];
  for (const group of groups) {
    if (group.projectId) {
      const project = await repos.projects.findById(group.projectId);
      out.push(project ? { name: group.name, project: project.path } : { name: group.name, services: [] });
    } else {
      out.push({ name: group.name, services: (group.serviceIds ?? []).flatMap((id) => services.get(id) ?? []) });
    }
  }
  return out;
}
