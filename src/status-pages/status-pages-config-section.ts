// The `statusPages:` section of the config file. Pages are keyed by slug, applied idempotently and
// marked managed by the file; a page the file managed but no longer declares is deleted. Pages
// made through the API are left alone unless the file declares their slug (then the file takes
// them over). Everything is checked before anything changes.
import Type, { type Static } from 'typebox';
import { systemActor } from '../auth/actor.js';
import type { AppContext } from '../app/context.js';
import type { ConfigSection } from '../config/file/sections.js';
import { AppError } from '../domain/errors.js';
import { slugPattern } from '../domain/slug-path.js';
import { resolveGroups } from './group-refs.js';
import type { StatusPage, StoredGroup } from './status-page.js';
import { CreateStatusPageSchema, isTimeZone } from './status-page-input.js';
import { statusPageServiceFor } from './status-page-service.js';
import { StatusPageRepository } from './store/status-page-repository.js';

const FilePageSchema = Type.Object({
  namespace: Type.String({ pattern: slugPattern, description: 'Slug of the namespace the page belongs to' }),
  ...CreateStatusPageSchema.properties,
  slug: Type.String({ pattern: slugPattern }),
}, { additionalProperties: false });
type FilePage = Static<typeof FilePageSchema>;

export const StatusPagesSectionSchema = Type.Array(FilePageSchema);

function desired(def: FilePage) {
  return {
    slug: def.slug, title: def.title, logoUrl: def.logoUrl ?? null, description: def.description ?? null,
    timezone: def.timezone ?? 'UTC', customDomain: def.customDomain?.toLowerCase() ?? null, isFrontPage: def.isFrontPage ?? false,
    groups: def.groups ?? [],
  };
}

function samePage(current: StatusPage, want: ReturnType<typeof desired>, groups: StoredGroup[], owner: string): boolean {
  return current.title === want.title && current.logoUrl === want.logoUrl && current.description === want.description
    && current.timezone === want.timezone && current.customDomain === want.customDomain && current.isFrontPage === want.isFrontPage
    && JSON.stringify(current.groups) === JSON.stringify(groups) && current.managedBy === owner;
}

export async function applyStatusPagesSection(ctx: AppContext, value: unknown, owner: string): Promise<void> {
  const defs = (value ?? []) as FilePage[];
  const actor = systemActor(owner);
  const pages = statusPageServiceFor(ctx);
  const repo = new StatusPageRepository(ctx.data.db);
  const problems: string[] = [];
  const plan: { def: FilePage; namespaceId: string; groups: StoredGroup[]; current: StatusPage | undefined }[] = [];
  for (const [i, def] of defs.entries()) {
    const where = `statusPages[${i}] (${def.slug})`;
    const ns = await ctx.data.repos.namespaces.findBySlug(def.namespace);
    if (!ns) { problems.push(`${where}: namespace "${def.namespace}" does not exist`); continue; }
    if (def.timezone && !isTimeZone(def.timezone)) problems.push(`${where}: timezone "${def.timezone}" is not an IANA time zone`);
    const current = await repo.findBySlug(def.slug);
    if (current && current.namespaceId !== ns.id) problems.push(`${where}: slug "${def.slug}" is taken by a page of another namespace`);
    try {
      plan.push({ def, namespaceId: ns.id, groups: await resolveGroups(ctx.data.repos, ns, def.groups ?? []), current });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problems.push(`${where}: ${err.message}`);
    }
  }
  if (problems.length > 0) throw new Error(`statusPages section is not valid:\n  ${problems.join('\n  ')}`);

  const keep = new Set<string>();
  for (const { def, namespaceId, groups, current } of plan) {
    const want = desired(def);
    if (!current) keep.add((await pages.createStatusPage(actor, namespaceId, want, owner)).id);
    else {
      if (!samePage(current, want, groups, owner)) await pages.update(actor, current.id, want, owner);
      keep.add(current.id);
    }
  }
  for (const page of await repo.listManagedBy(owner)) {
    if (!keep.has(page.id)) await pages.delete(actor, page.id);
  }
}

export const statusPagesConfigSection: ConfigSection = {
  key: 'statusPages',
  schema: StatusPagesSectionSchema,
  apply: applyStatusPagesSection,
};
