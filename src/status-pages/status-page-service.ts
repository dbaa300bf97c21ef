// Business rules for status pages: who may change them, slug/domain uniqueness, one front page.
// Callable from the API, the config file and `tocsin import statuspage`.
import { randomUUID } from 'node:crypto';
import { requireGlobalRole, requireRole, type Actor } from '../auth/actor.js';
import { badRequest, conflict, notFound } from '../domain/errors.js';
import { slugify } from '../domain/slug-path.js';
import type { DataAccess } from '../store/data-access.js';
import { isUniqueViolation, toJson } from '../store/executor.js';
import { describeGroups, resolveGroups } from './group-refs.js';
import type { StatusPage } from './status-page.js';
import { isTimeZone, type CreateStatusPageInput, type StatusPageDto, type UpdateStatusPageInput } from './status-page-input.js';
import { StatusPageRepository } from './store/status-page-repository.js';
import type { StatusPageTable } from './store/tables.js';

export class StatusPageService {
  constructor(
    private readonly data: DataAccess,
    private readonly now: () => number,
    /** Told after every change, so this instance's page cache drops what it holds at once. */
    private readonly onChanged: () => void = () => {},
  ) {}

  private pages(db = this.data.db) {
    return new StatusPageRepository(db);
  }

  async createStatusPage(actor: Actor, namespaceId: string, input: CreateStatusPageInput, managedBy: string | null = null): Promise<StatusPage> {
    const ns = await this.data.repos.namespaces.findById(namespaceId);
    if (!ns) throw notFound('namespace');
    requireRole(actor, ns.id, 'editor');
    checkFields(actor, input);
    const groups = await resolveGroups(this.data.repos, ns, input.groups ?? []);
    const now = this.now();
    const id = randomUUID();
    const slug = input.slug ?? slugify(input.title);
    const row: StatusPageTable = {
      id, namespace_id: ns.id, slug, title: input.title, logo_url: input.logoUrl ?? null,
      description: input.description ?? null, timezone: input.timezone ?? 'UTC',
      custom_domain: input.customDomain?.toLowerCase() ?? null, is_front_page: input.isFrontPage ? 1 : 0,
      item_groups: toJson(groups), managed_by: managedBy, created_at: now, updated_at: now,
    };
    await this.write(row.slug, row.custom_domain, async (trx) => {
      const pages = this.pages(trx);
      await pages.insert(row);
      if (input.isFrontPage) await pages.clearFrontPageExcept(id, now);
    });
    return (await this.pages().findById(id))!;
  }

  async get(actor: Actor, id: string): Promise<StatusPage> {
    const page = await this.pages().findById(id);
    if (!page) throw notFound('status page');
    requireRole(actor, page.namespaceId, 'viewer');
    return page;
  }

  async list(actor: Actor, namespaceId: string): Promise<StatusPage[]> {
    requireRole(actor, namespaceId, 'viewer');
    return this.pages().listByNamespace(namespaceId);
  }

  async update(actor: Actor, id: string, input: UpdateStatusPageInput, managedBy?: string | null): Promise<StatusPage> {
    const current = await this.get(actor, id);
    requireRole(actor, current.namespaceId, 'editor');
    checkFields(actor, input);
    const ns = (await this.data.repos.namespaces.findById(current.namespaceId))!;
    const now = this.now();
    const changes: Partial<StatusPageTable> = {
      ...(input.slug !== undefined && { slug: input.slug }),
      ...(input.title !== undefined && { title: input.title }),
      ...(input.logoUrl !== undefined && { logo_url: input.logoUrl }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.timezone !== undefined && { timezone: input.timezone }),
      ...(input.customDomain !== undefined && { custom_domain: input.customDomain?.toLowerCase() ?? null }),
      ...(input.isFrontPage !== undefined && { is_front_page: input.isFrontPage ? 1 : 0 }),
      ...(input.groups !== undefined && { item_groups: toJson(await resolveGroups(this.data.repos, ns, input.groups)) }),
      ...(managedBy !== undefined && { managed_by: managedBy }),
      updated_at: now,
    };
    await this.write(changes.slug ?? current.slug, changes.custom_domain ?? null, async (trx) => {
      const pages = this.pages(trx);
      await pages.update(id, changes);
      if (input.isFrontPage) await pages.clearFrontPageExcept(id, now);
    });
    return (await this.pages().findById(id))!;
  }

  async delete(actor: Actor, id: string): Promise<void> {
    const page = await this.get(actor, id);
    requireRole(actor, page.namespaceId, 'editor');
    await this.pages().delete(id);
    this.onChanged();
  }

  /** The API shape: groups as slug paths, and the page's public address. */
  async toDto(page: StatusPage, publicUrl: string): Promise<StatusPageDto> {
    const { groups, ...rest } = page;
    return { ...rest, groups: await describeGroups(this.data.repos, groups), url: `${publicUrl}/status/${page.slug}` };
  }

  private async write(slug: string, domain: string | null, fn: (trx: DataAccess['db']) => Promise<void>): Promise<void> {
    try {
      await this.data.transaction((_repos, trx) => fn(trx));
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw conflict(domain ? `a status page with slug "${slug}" or domain "${domain}" already exists` : `a status page with slug "${slug}" already exists`);
      }
      throw err;
    }
    this.onChanged();
  }
}

function checkFields(actor: Actor, input: UpdateStatusPageInput): void {
  if (input.timezone !== undefined && !isTimeZone(input.timezone)) throw badRequest(`timezone "${input.timezone}" is not an IANA time zone (e.g. "Europe/Paris", "UTC")`);
  // The front page belongs to the whole site, not to one namespace.
  if (input.isFrontPage) requireGlobalRole(actor, 'admin');
}

/** The service over a running or CLI context (e.g. for `tocsin import statuspage`). */
export function statusPageServiceFor(ctx: { data: DataAccess; now: () => number }, onChanged?: () => void): StatusPageService {
  return new StatusPageService(ctx.data, ctx.now, onChanged);
}
