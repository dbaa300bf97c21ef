// Every namespace, project and service is addressable by a slug path: "acme", "acme/website",
// "acme/website/api". Slugs are lower-case, URL-safe and stable; names are free text.

export const slugPattern = '^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$';
const slugRegex = new RegExp(slugPattern);

export function isSlug(value: string): boolean {
  return slugRegex.test(value);
}

/** Turns a display name into a slug: "Acme Corp API" -> "acme-corp-api". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
  return slug || 'item';
}

export interface ParsedPath {
  namespace: string;
  project?: string;
  service?: string;
}

/** Parses "ns", "ns/project" or "ns/project/service"; returns null when malformed. */
export function parsePath(path: string): ParsedPath | null {
  const parts = path.trim().replace(/^\/+|\/+$/g, '').split('/');
  if (parts.length < 1 || parts.length > 3 || !parts.every(isSlug)) return null;
  const [namespace, project, service] = parts;
  return { namespace, project, service };
}

export function joinPath(...slugs: string[]): string {
  return slugs.join('/');
}
