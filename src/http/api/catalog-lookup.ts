// Finds catalog objects from URL parameters that may be an id or a slug.
import type { AppContext } from '../../app/context.js';
import type { Actor } from '../../auth/actor.js';
import type { Namespace, Project, Service } from '../../domain/catalog.js';
import { notFound } from '../../domain/errors.js';

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function findNamespace(ctx: AppContext, actor: Actor, ref: string): Promise<Namespace> {
  if (uuidShape.test(ref)) {
    const byId = await ctx.data.repos.namespaces.findById(ref);
    if (byId) return ctx.namespaces.get(actor, byId.id);
  }
  return ctx.namespaces.getBySlug(actor, ref);
}

export async function findProject(ctx: AppContext, actor: Actor, nsRef: string, projectSlug: string): Promise<Project> {
  const ns = await findNamespace(ctx, actor, nsRef);
  return ctx.projects.getBySlugs(actor, ns.slug, projectSlug);
}

export async function findService(ctx: AppContext, actor: Actor, nsRef: string, projectSlug: string, serviceSlug: string): Promise<Service> {
  const ns = await findNamespace(ctx, actor, nsRef);
  return ctx.services.getBySlugs(actor, ns.slug, projectSlug, serviceSlug);
}

/** Resolves "ns", "ns/project" or "ns/project/service". */
export async function resolvePath(ctx: AppContext, actor: Actor, path: string): Promise<
  { kind: 'namespace'; item: Namespace } | { kind: 'project'; item: Project } | { kind: 'service'; item: Service }
> {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 1) return { kind: 'namespace', item: await findNamespace(ctx, actor, parts[0]) };
  if (parts.length === 2) return { kind: 'project', item: await findProject(ctx, actor, parts[0], parts[1]) };
  if (parts.length === 3) return { kind: 'service', item: await findService(ctx, actor, parts[0], parts[1], parts[2]) };
  throw notFound(`path "${path}" (expected namespace, namespace/project or namespace/project/service)`);
}

/** The API shape of a service: its checker type (or "heartbeat") as `type`. */
export function serviceDto(service: Service) {
  return { ...service, type: service.checkType ?? 'heartbeat' };
}
