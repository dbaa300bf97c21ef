// Who is acting: a signed-in user, an API key (acting for its user), or Tocsin itself (config file,
// background jobs). Domain services take an Actor and check it; transports only build one.
import { forbidden } from '../domain/errors.js';
import { atLeast, higherRole, type Role } from '../domain/roles.js';

export interface Actor {
  kind: 'user' | 'api-key' | 'system';
  userId: string | null;
  /** For logs and audit: an email, "api-key:<id>" or "config". */
  label: string;
  globalRole: Role | null;
  memberships: ReadonlyMap<string, Role>;
  /** Read-only API keys never write, whatever their user's role. */
  readOnly: boolean;
}

export function systemActor(label = 'system'): Actor {
  return { kind: 'system', userId: null, label, globalRole: 'admin', memberships: new Map(), readOnly: false };
}

export function roleIn(actor: Actor, namespaceId: string): Role | null {
  const role = higherRole(actor.globalRole, actor.memberships.get(namespaceId));
  if (role && actor.readOnly) return 'viewer';
  return role;
}

export function requireRole(actor: Actor, namespaceId: string, needed: Role): void {
  if (!atLeast(roleIn(actor, namespaceId), needed)) {
    throw forbidden(needed === 'viewer' ? 'you have no access to this namespace' : `this needs the ${needed} role in this namespace`);
  }
}

/** Global actions (creating namespaces, managing users) need a global role. */
export function requireGlobalRole(actor: Actor, needed: Role): void {
  const role = actor.readOnly && actor.globalRole ? 'viewer' : actor.globalRole;
  if (!atLeast(role, needed)) throw forbidden(`this needs the global ${needed} role`);
}

/** Namespace ids the actor may see, or undefined when it may see all of them. */
export function visibleNamespaceIds(actor: Actor): string[] | undefined {
  if (actor.globalRole) return undefined;
  return [...actor.memberships.keys()];
}
