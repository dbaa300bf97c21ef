// `tocsin import statuspage config.yml`: each item becomes a heartbeat (period = its interval,
// no grace: statuspage shows an item down as soon as its interval passes) reachable at
// /refresh/<item id> with the file's X-Token, and the groups become a Tocsin status page.
// Importing again updates what the previous import made (matched by slug; marked managedBy).
import type { AppContext } from '../../app/context.js';
import { systemActor } from '../../auth/actor.js';
import { sha256Hex } from '../../auth/secrets.js';
import type { Namespace, Project } from '../../domain/catalog.js';
import { AppError } from '../../domain/errors.js';
import { slugify } from '../../domain/slug-path.js';
import { HeartbeatRepository } from '../../heartbeats/heartbeat-repository.js';
import { statusPageServiceFor } from '../../status-pages/status-page-service.js';
import { parseStatuspageConfig } from './statuspage-config.js';

export interface ImportOptions {
  namespace: string;
  project: string;
}

export interface ImportResult {
  services: { path: string; refreshId: string; created: boolean }[];
  statusPage: { slug: string; created: boolean };
}

const owner = 'import:statuspage';
const actor = systemActor(owner);

async function ensureNamespace(ctx: AppContext, slug: string): Promise<Namespace> {
  const found = await ctx.data.repos.namespaces.findBySlug(slug);
  return found ?? ctx.namespaces.create(actor, { slug, name: slug });
}

async function ensureProject(ctx: AppContext, ns: Namespace, slug: string, title: string): Promise<Project> {
  try {
    return await ctx.projects.getBySlugs(actor, ns.slug, slug);
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'not_found')) throw err;
    return ctx.projects.create(actor, ns.id, { slug, name: title });
  }
}

export async function importStatuspage(ctx: AppContext, yamlText: string, options: ImportOptions): Promise<ImportResult> {
  const file = parseStatuspageConfig(yamlText);
  const ns = await ensureNamespace(ctx, options.namespace);
  const project = await ensureProject(ctx, ns, options.project, file.title);
  const heartbeats = new HeartbeatRepository(ctx.data.db, ctx.data.dialect);
  const tokenHash = sha256Hex(file.token);
  const result: ImportResult = { services: [], statusPage: { slug: '', created: false } };
  const groups = new Map<string, string[]>();

  for (const item of file.items) {
    const slug = slugify(`${item.group}-${item.id}`).slice(0, 64);
    const input = {
      name: item.name, type: 'heartbeat',
      config: { schedule: 'period', period: item.intervalSeconds, grace: 0 },
      tags: ['statuspage'],
    };
    const existing = await ctx.data.repos.services.findBySlugs(ns.slug, project.slug, slug);
    const service = existing
      ? await ctx.services.update(actor, existing.id, input, owner)
      : await ctx.services.create(actor, project.id, { ...input, slug }, owner);
    await heartbeats.setApiKey(service.id, tokenHash, item.id);
    result.services.push({ path: service.path, refreshId: item.id, created: !existing });
    groups.set(item.group, [...(groups.get(item.group) ?? []), service.path]);
  }

  const pages = statusPageServiceFor(ctx);
  const page = {
    title: file.title, slug: slugify(options.project),
    groups: [...groups].map(([name, services]) => ({ name, services })),
  };
  const previous = (await pages.list(actor, ns.id)).find((p) => p.slug === page.slug);
  if (previous) await pages.update(actor, previous.id, page, owner);
  else await pages.createStatusPage(actor, ns.id, page, owner);
  result.statusPage = { slug: page.slug, created: !previous };
  return result;
}
