// Roles, from least to most powerful. A user's role in a namespace is the higher of their global
// role and their membership in that namespace.

export const roles = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof roles)[number];

export function roleRank(role: Role | null | undefined): number {
  return role ? roles.indexOf(role) + 1 : 0;
}

export function atLeast(role: Role | null | undefined, needed: Role): boolean {
  return roleRank(role) >= roleRank(needed);
}

export function higherRole(a: Role | null | undefined, b: Role | null | undefined): Role | null {
  return roleRank(a) >= roleRank(b) ? (a ?? null) : (b ?? null);
}
