// The `maintenance:` section of the config file. A window is identified by its target and title;
// windows are applied idempotently and marked managed by the file, and a window the file managed
// but no longer declares is deleted. Windows made through the API are left alone. Everything is
// checked before anything changes.
import Type, { type Static } from 'typebox';
import type { AppContext } from '../app/context.js';
import { systemActor } from '../auth/actor.js';
import type { ConfigSection } from '../config/file/sections.js';
import { AppError } from '../domain/errors.js';
import type { Repositories } from '../store/repositories.js';
import { CreateMaintenanceSchema, normalizeTiming, type NormalizedTiming } from './maintenance-input.js';
import { MaintenanceRepository } from './maintenance-repository.js';
import { MaintenanceService, type MaintenanceTarget } from './maintenance-service.js';
import type { MaintenanceWindow } from './maintenance-window.js';

export const MaintenanceSectionSchema = Type.Array(CreateMaintenanceSchema);
type FileWindow = Static<typeof CreateMaintenanceSchema>;

/** Resolves "ns", "ns/project" or "ns/project/service" without access checks (the file is trusted). */
export async function findTarget(repos: Repositories, path: string): Promise<MaintenanceTarget | undefined> {
  const [ns, project, service, ...rest] = path.split('/').filter(Boolean);
  if (rest.length > 0 || !ns) return undefined;
  if (service) {
    const found = await repos.services.findBySlugs(ns, project, service);
    return found && { scope: 'service', scopeId: found.id, namespaceId: found.namespaceId };
  }
  if (project) {
    const found = await repos.projects.findBySlugs(ns, project);
    return found && { scope: 'project', scopeId: found.id, namespaceId: found.namespaceId };
  }
  const found = await repos.namespaces.findBySlug(ns);
  return found && { scope: 'namespace', scopeId: found.id, namespaceId: found.id };
}

const identity = (target: MaintenanceTarget, title: string) => `${target.scope}:${target.scopeId}:${title}`;

function unchanged(current: MaintenanceWindow, def: FileWindow, timing: NormalizedTiming, owner: string): boolean {
  return current.description === (def.description ?? null) && current.startsAt === timing.startsAt && current.endsAt === timing.endsAt
    && current.cron === timing.cron && current.durationMs === timing.durationMs && current.timeZone === timing.timeZone
    && current.managedBy === owner;
}

export async function applyMaintenanceSection(ctx: AppContext, value: unknown, owner: string): Promise<void> {
  const defs = (value ?? []) as FileWindow[];
  const problems: string[] = [];
  const plan: Array<{ def: FileWindow; target: MaintenanceTarget; timing: NormalizedTiming }> = [];
  for (const [i, def] of defs.entries()) {
    const where = `maintenance[${i}] (${def.title})`;
    const target = await findTarget(ctx.data.repos, def.target);
    if (!target) { problems.push(`${where}: target "${def.target}" does not exist`); continue; }
    try {
      plan.push({ def, target, timing: normalizeTiming(def) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problems.push(`${where}: ${err.message}`);
    }
  }
  const keys = plan.map((p) => identity(p.target, p.def.title));
  const duplicate = keys.find((k, i) => keys.indexOf(k) !== i);
  if (duplicate) problems.push(`maintenance: two windows with the same target and title (${duplicate.split(':').slice(2).join(':')})`);
  if (problems.length > 0) throw new Error(`maintenance section is not valid:\n  ${problems.join('\n  ')}`);

  const actor = systemActor(owner);
  const service = new MaintenanceService(ctx.data, ctx.now);
  const managed = await new MaintenanceRepository(ctx.data.db).listManagedBy(owner);
  const byIdentity = new Map(managed.map((w) => [identity(w, w.title), w]));
  const keep = new Set<string>();
  for (const { def, target, timing } of plan) {
    const current = byIdentity.get(identity(target, def.title));
    const { target: _path, ...fields } = def;
    if (!current) {
      keep.add((await service.create(actor, target, fields, owner)).id);
      continue;
    }
    keep.add(current.id);
    if (!unchanged(current, def, timing, owner)) {
      await service.update(actor, current.id, {
        description: def.description ?? null, startsAt: def.startsAt ?? null, endsAt: def.endsAt ?? null,
        cron: def.cron ?? null, duration: def.duration ?? null, timeZone: def.timeZone ?? null,
      });
    }
  }
  for (const window of managed) if (!keep.has(window.id)) await service.delete(actor, window.id);
}

export const maintenanceConfigSection: ConfigSection = {
  key: 'maintenance',
  schema: MaintenanceSectionSchema,
  apply: applyMaintenanceSection,
};
