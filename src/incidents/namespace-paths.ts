// Slug paths written inside a namespace: absolute ("acme/web/api") or relative to it ("web/api").
import type { Namespace } from '../domain/catalog.js';
import { badRequest } from '../domain/errors.js';

/** The slugs below the namespace (project, or project + service); `where` names the field in errors. */
export function slugsWithin(ns: Namespace, path: string, depth: 2 | 3, where: string): string[] {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === depth - 1) return parts;
  if (parts.length === depth && parts[0] === ns.slug) return parts.slice(1);
  if (parts.length === depth) throw badRequest(`${where}: "${path}" is not in namespace "${ns.slug}"`);
  throw badRequest(`${where}: "${path}" is not a ${depth === 2 ? 'project' : 'service'} path`);
}
