// The `channels:` section of the config file: channels with their routes, applied idempotently
// and marked managed by the file. A channel the file managed but no longer declares is deleted;
// channels made through the API are never touched. Everything is validated before anything
// changes, so a bad entry leaves the previous channels as they were.
import Type, { type Static } from 'typebox';
import { systemActor } from '../auth/actor.js';
import type { AppContext } from '../app/context.js';
import type { ConfigSection } from '../config/file/sections.js';
import { slugPattern } from '../domain/slug-path.js';
import { validateNotifierConfig } from '../notifiers/registry.js';
import { alertsRuntime } from './alerts-runtime.js';
import { defaultPolicy, type Channel } from './channel.js';
import { applyPolicyInput, CreateChannelSchema, RouteInputSchema } from './channel-input.js';

const FileChannelSchema = Type.Object({
  namespace: Type.Optional(Type.String({ pattern: slugPattern, description: 'Slug of the namespace the channel belongs to; default: that of its first route' })),
  ...CreateChannelSchema.properties,
  routes: Type.Optional(Type.Array(Type.Union([Type.String({ minLength: 1 }), RouteInputSchema]), {
    description: 'Paths the channel is attached to: "acme/website", or { path, tags }',
  })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { description: 'Tag filter for the routes written as plain paths' })),
}, { additionalProperties: false });

export const ChannelsSectionSchema = Type.Array(FileChannelSchema);
type FileChannel = Static<typeof FileChannelSchema>;

function namespaceOf(def: FileChannel): string | undefined {
  const first = def.routes?.[0];
  return def.namespace ?? (first === undefined ? undefined : (typeof first === 'string' ? first : first.path).replace(/^\/+/, '').split('/')[0]);
}

function desiredRoutes(def: FileChannel): { path: string; tags: string[] }[] {
  return (def.routes ?? []).map((r) => (typeof r === 'string' ? { path: r, tags: def.tags ?? [] } : { path: r.path, tags: r.tags ?? [] }))
    .map((r) => ({ path: r.path.replace(/^\/+|\/+$/g, ''), tags: [...new Set(r.tags)].sort() }));
}

const routeKey = (r: { path: string; tags: string[] }) => `${r.path}|${r.tags.join(',')}`;

function sameChannel(current: Channel, def: FileChannel, owner: string): boolean {
  const policy = applyPolicyInput(defaultPolicy, def);
  return current.type === def.type && JSON.stringify(current.config) === JSON.stringify(def.config)
    && JSON.stringify(current.policy) === JSON.stringify(policy) && current.enabled === (def.enabled ?? true) && current.managedBy === owner;
}

export async function applyChannelsSection(ctx: AppContext, value: unknown, owner: string): Promise<void> {
  const defs = (value ?? []) as FileChannel[];
  const { channels } = alertsRuntime(ctx);
  const actor = systemActor(owner);
  const namespaces = new Map<number, string>();
  const problems: string[] = [];
  for (const [i, def] of defs.entries()) {
    const slug = namespaceOf(def);
    const ns = slug ? await ctx.data.repos.namespaces.findBySlug(slug) : undefined;
    if (!slug) problems.push(`channels[${i}] (${def.name}): give it a namespace or at least one route`);
    else if (!ns) problems.push(`channels[${i}] (${def.name}): namespace "${slug}" does not exist`);
    else namespaces.set(i, ns.id);
    for (const p of validateNotifierConfig(def.type, def.config)) problems.push(`channels[${i}] (${def.name}): config${p.path} ${p.message}`);
    for (const r of desiredRoutes(def)) {
      if (slug && r.path !== slug && !r.path.startsWith(`${slug}/`)) problems.push(`channels[${i}] (${def.name}): route "${r.path}" is outside namespace "${slug}"`);
    }
  }
  if (problems.length > 0) throw new Error(`channels section is not valid:\n  ${problems.join('\n  ')}`);

  const keep = new Set<string>();
  for (const [i, def] of defs.entries()) {
    const namespaceId = namespaces.get(i)!;
    const { namespace: _ns, routes: _routes, tags: _tags, ...input } = def;
    let channel = (await channels.list(actor, namespaceId)).find((c) => c.name === def.name);
    if (!channel) channel = await channels.create(actor, namespaceId, input, owner);
    else if (!sameChannel(channel, def, owner)) {
      channel = await channels.update(actor, channel.id, {
        ...input, enabled: def.enabled ?? true, events: def.events ?? [...defaultPolicy.events], reminderInterval: def.reminderInterval ?? null,
        flapping: def.flapping ?? { changes: defaultPolicy.flapping!.changes, window: defaultPolicy.flapping!.windowMs / 1000 },
        heartbeatRule: def.heartbeatRule ?? defaultPolicy.heartbeatRule,
      }, owner);
    }
    keep.add(channel.id);
    const wanted = desiredRoutes(def);
    const existing = await channels.routes([channel.id]);
    if (JSON.stringify(existing.map(routeKey).sort()) === JSON.stringify(wanted.map(routeKey).sort())) continue;
    for (const route of existing) await channels.removeRoute(actor, channel.id, route.id);
    for (const route of wanted) await channels.addRoute(actor, channel.id, route);
  }
  for (const channel of await channels.list(actor)) {
    if (channel.managedBy === owner && !keep.has(channel.id)) await channels.delete(actor, channel.id);
  }
}

export const channelsConfigSection: ConfigSection = {
  key: 'channels',
  schema: ChannelsSectionSchema,
  apply: applyChannelsSection,
};
