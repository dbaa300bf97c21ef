// A feature plugs into a running Tocsin: HTTP routes, background work, or both.
// Features are listed in app/features.ts; adding one is a folder and one line there.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context.js';

export interface Feature {
  name: string;
  /** Called once, before the server listens: subscribe to state changes, register routes. */
  setup?(ctx: AppContext, app: FastifyInstance): Promise<void> | void;
  /** Background work (schedulers, dispatchers); started after the server listens. */
  start?(ctx: AppContext): Promise<void> | void;
  /** Stops background work, finishing what is in flight. */
  stop?(): Promise<void> | void;
}
