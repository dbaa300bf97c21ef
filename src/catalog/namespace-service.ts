// Business rules for namespaces (organisations), shared by the API, the config file and chat bots.
import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import { requireGlobalRole, requireRole, visibleNamespaceIds, type Actor } from '../auth/actor.js';
import type { Namespace } from '../domain/catalog.js';
import { conflict, notFound } from '../domain/errors.js';
import { slugify } from '../domain/slug-path.js';
import type { DataAccess } from '../store/data-access.js';
import { isUniqueViolation } from '../store/executor.js';
import { CreateNamedObjectSchema, UpdateNamedObjectSchema } from './named-object-schema.js';

export const CreateNamespaceSchema = CreateNamedObjectSchema;
export type CreateNamespaceInput = Static<typeof CreateNamespaceSchema>;

export const UpdateNamespaceSchema = UpdateNamedObjectSchema;
export type UpdateNamespaceInput = Static<typeof UpdateNamespaceSchema>;

export class NamespaceService {
  constructor(private readonly data: DataAccess, private readonly now: () => number) {}

  async create(actor: Actor, input: CreateNamespaceInput, managedBy: string | null = null): Promise<Namespace> {
    requireGlobalRole(actor, 'editor');
    const now = this.now();
    const slug = input.slug ?? slugify(input.name);
    try {
      return await this.data.repos.namespaces.insert({
        id: randomUUID(), slug, name: input.name, description: input.description ?? null,
        managed_by: managedBy, created_at: now, updated_at: now,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`namespace "${slug}" already exists`);
      throw err;
    }
  }

  async get(actor: Actor, id: string): Promise<Namespace> {
    const ns = await this.data.repos.namespaces.findById(id);
    if (!ns) throw notFound('namespace');
    requireRole(actor, ns.id, 'viewer');
    return ns;
  }

  async getBySlug(actor: Actor, slug: string): Promise<Namespace> {
    const ns = await this.data.repos.namespaces.findBySlug(slug);
    if (!ns) throw notFound(`namespace "${slug}"`);
    requireRole(actor, ns.id, 'viewer');
    return ns;
  }

  async list(actor: Actor, page: { limit: number; offset: number }) {
    return this.data.repos.namespaces.list({ ...page, onlyIds: visibleNamespaceIds(actor) });
  }

  async update(actor: Actor, id: string, input: UpdateNamespaceInput, managedBy?: string | null): Promise<Namespace> {
    const ns = await this.get(actor, id);
    requireRole(actor, ns.id, 'editor');
    try {
      await this.data.repos.namespaces.update(id, {
        ...(input.slug !== undefined && { slug: input.slug }),
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(managedBy !== undefined && { managed_by: managedBy }),
        updated_at: this.now(),
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`namespace "${input.slug}" already exists`);
      throw err;
    }
    return (await this.data.repos.namespaces.findById(id))!;
  }

  async delete(actor: Actor, id: string): Promise<void> {
    const ns = await this.get(actor, id);
    requireRole(actor, ns.id, 'admin');
    await this.data.repos.namespaces.delete(id);
  }
}
