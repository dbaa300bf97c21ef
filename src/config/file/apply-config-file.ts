// Applies a validated config file idempotently: creates or updates what it declares, marks it
// managed by the file, and removes what the file managed before but no longer declares. Objects
// made through the API are never touched; a managed namespace or project that still holds them
// is released (no longer managed) instead of deleted.
import { systemActor } from '../../auth/actor.js';
import type { AppContext } from '../../app/context.js';
import type { Service } from '../../domain/catalog.js';
import type { UpdateServiceInput } from '../../catalog/service-input.js';
import { parseDuration } from '../../domain/duration.js';
import type { FileService } from './config-file-schema.js';
import { loadConfigFile } from './load-config-file.js';
import { configSections } from './sections.js';

export const configOwner = 'config';

export interface ApplySummary {
  created: string[];
  updated: string[];
  deleted: string[];
  released: string[];
}

/** The full desired state of a service: fields the file leaves out get their defaults. */
function desiredService(s: FileService): UpdateServiceInput & { type: string } {
  const intervalS = (parseDuration(s.interval ?? 60) ?? 60_000) / 1000;
  return {
    slug: s.slug, name: s.name, description: s.description ?? null, type: s.type, config: s.config ?? {},
    interval: s.interval ?? 60, timeout: s.timeout ?? Math.min(10, intervalS), retries: s.retries ?? 0,
    retryInterval: s.retryInterval ?? s.interval ?? 60, upsideDown: s.upsideDown ?? false, paused: s.paused ?? false,
    tags: [...new Set(s.tags ?? [])].sort(),
  };
}

function sameService(current: Service, desired: ReturnType<typeof desiredService>): boolean {
  const ms = (v: string | number | undefined) => (v === undefined ? undefined : parseDuration(v));
  const isCheck = desired.type !== 'heartbeat';
  return current.name === desired.name && current.description === desired.description
    && (current.checkType ?? 'heartbeat') === desired.type
    && JSON.stringify(current.config) === JSON.stringify(desired.config)
    && (!isCheck || (current.intervalMs === ms(desired.interval) && current.timeoutMs === ms(desired.timeout)
      && current.retryIntervalMs === ms(desired.retryInterval) && current.retries === desired.retries))
    && current.upsideDown === desired.upsideDown && current.paused === desired.paused
    && JSON.stringify(current.tags) === JSON.stringify(desired.tags) && current.managedBy === configOwner;
}

export async function applyConfigFile(ctx: AppContext, file: string): Promise<ApplySummary> {
  const config = loadConfigFile(file, ctx.settings.environment);
  const actor = systemActor(configOwner);
  const summary: ApplySummary = { created: [], updated: [], deleted: [], released: [] };
  const keep = { namespaces: new Set<string>(), projects: new Set<string>(), services: new Set<string>() };

  for (const nsDef of config.namespaces ?? []) {
    let ns = await ctx.data.repos.namespaces.findBySlug(nsDef.slug);
    const nsFields = { name: nsDef.name ?? nsDef.slug, description: nsDef.description ?? null };
    if (!ns) {
      ns = await ctx.namespaces.create(actor, { slug: nsDef.slug, ...nsFields }, configOwner);
      summary.created.push(ns.path);
    } else if (ns.name !== nsFields.name || ns.description !== nsFields.description || ns.managedBy !== configOwner) {
      ns = await ctx.namespaces.update(actor, ns.id, nsFields, configOwner);
      summary.updated.push(ns.path);
    }
    keep.namespaces.add(ns.id);
    for (const pDef of nsDef.projects ?? []) {
      let project = await ctx.data.repos.projects.findBySlugs(ns.slug, pDef.slug);
      const pFields = { name: pDef.name ?? pDef.slug, description: pDef.description ?? null };
      if (!project) {
        project = await ctx.projects.create(actor, ns.id, { slug: pDef.slug, ...pFields }, configOwner);
        summary.created.push(project.path);
      } else if (project.name !== pFields.name || project.description !== pFields.description || project.managedBy !== configOwner) {
        project = await ctx.projects.update(actor, project.id, pFields, configOwner);
        summary.updated.push(project.path);
      }
      keep.projects.add(project.id);
      for (const sDef of pDef.services ?? []) {
        const desired = desiredService(sDef);
        const existing = await ctx.data.repos.services.findBySlugs(ns.slug, project.slug, sDef.slug);
        if (!existing) {
          const created = await ctx.services.create(actor, project.id, { ...desired, name: sDef.name, tags: desired.tags }, configOwner);
          summary.created.push(created.path);
          keep.services.add(created.id);
        } else {
          if (!sameService(existing, desired)) {
            await ctx.services.update(actor, existing.id, desired, configOwner);
            summary.updated.push(existing.path);
          }
          keep.services.add(existing.id);
        }
      }
    }
  }
  await prune(ctx, keep, summary);
  for (const section of configSections) {
    await section.apply(ctx, config[section.key], configOwner);
  }
  ctx.logger.info({ file, ...Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, v.length])) }, 'config file applied');
  return summary;
}

async function prune(ctx: AppContext, keep: { namespaces: Set<string>; projects: Set<string>; services: Set<string> }, summary: ApplySummary) {
  const actor = systemActor(configOwner);
  const repos = ctx.data.repos;
  for (const s of await repos.services.listManagedBy(configOwner)) {
    if (keep.services.has(s.id)) continue;
    await ctx.services.delete(actor, s.id);
    summary.deleted.push(s.path);
  }
  for (const p of await repos.projects.listManagedBy(configOwner)) {
    if (keep.projects.has(p.id)) continue;
    const inside = await repos.services.list({ projectId: p.id }, { limit: 1, offset: 0 });
    if (inside.total > 0) {
      await repos.projects.update(p.id, { managed_by: null });
      summary.released.push(p.path);
    } else {
      await ctx.projects.delete(actor, p.id);
      summary.deleted.push(p.path);
    }
  }
  for (const ns of await repos.namespaces.listManagedBy(configOwner)) {
    if (keep.namespaces.has(ns.id)) continue;
    const inside = await repos.projects.list({ namespaceId: ns.id, limit: 1, offset: 0 });
    if (inside.total > 0) {
      await repos.namespaces.update(ns.id, { managed_by: null });
      summary.released.push(ns.path);
    } else {
      await ctx.namespaces.delete(actor, ns.id);
      summary.deleted.push(ns.path);
    }
  }
}
