// Business rules for projects inside a namespace.
import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import { requireRole, visibleNamespaceIds, type Actor } from '../auth/actor.js';
import type { Project } from '../domain/catalog.js';
import { conflict, notFound } from '../domain/errors.js';
import { slugify } from '../domain/slug-path.js';
import type { DataAccess } from '../store/data-access.js';
import { isUniqueViolation } from '../store/executor.js';
import { CreateNamedObjectSchema, UpdateNamedObjectSchema } from './named-object-schema.js';

export const CreateProjectSchema = CreateNamedObjectSchema;
export type CreateProjectInput = Static<typeof CreateProjectSchema>;

export const UpdateProjectSchema = UpdateNamedObjectSchema;
export type UpdateProjectInput = Static<typeof UpdateProjectSchema>;

export class ProjectService {
  constructor(private readonly data: DataAccess, private readonly now: () => number) {}

  async create(actor: Actor, namespaceId: string, input: CreateProjectInput, managedBy: string | null = null): Promise<Project> {
    const ns = await this.data.repos.namespaces.findById(namespaceId);
    if (!ns) throw notFound('namespace');
    requireRole(actor, ns.id, 'editor');
    const id = randomUUID();
    const now = this.now();
    const slug = input.slug ?? slugify(input.name);
    try {
      await this.data.repos.projects.insert({
        id, namespace_id: ns.id, slug, name: input.name, description: input.description ?? null,
        managed_by: managedBy, created_at: now, updated_at: now,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`project "${ns.slug}/${slug}" already exists`);
      throw err;
    }
    return (await this.data.repos.projects.findById(id))!;
  }

  async get(actor: Actor, id: string): Promise<Project> {
    const project = await this.data.repos.projects.findById(id);
    if (!project) throw notFound('project');
    requireRole(actor, project.namespaceId, 'viewer');
    return project;
  }

  async getBySlugs(actor: Actor, namespaceSlug: string, projectSlug: string): Promise<Project> {
    const project = await this.data.repos.projects.findBySlugs(namespaceSlug, projectSlug);
    if (!project) throw notFound(`project "${namespaceSlug}/${projectSlug}"`);
    requireRole(actor, project.namespaceId, 'viewer');
    return project;
  }

  async list(actor: Actor, filter: { namespaceId?: string }, page: { limit: number; offset: number }) {
    return this.data.repos.projects.list({ ...page, namespaceId: filter.namespaceId, onlyNamespaceIds: visibleNamespaceIds(actor) });
  }

  async update(actor: Actor, id: string, input: UpdateProjectInput, managedBy?: string | null): Promise<Project> {
    const project = await this.get(actor, id);
    requireRole(actor, project.namespaceId, 'editor');
    try {
      await this.data.repos.projects.update(id, {
        ...(input.slug !== undefined && { slug: input.slug }),
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(managedBy !== undefined && { managed_by: managedBy }),
        updated_at: this.now(),
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`project slug "${input.slug}" is taken in this namespace`);
      throw err;
    }
    return (await this.data.repos.projects.findById(id))!;
  }

  async delete(actor: Actor, id: string): Promise<void> {
    const project = await this.get(actor, id);
    requireRole(actor, project.namespaceId, 'editor');
    await this.data.repos.projects.delete(id);
  }
}
