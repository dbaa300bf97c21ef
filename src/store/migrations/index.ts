// Every migration, in order. Names sort; add a new file and one line here.
// Ranges keep parallel work apart: 0xx core, 1xx checks, 2xx heartbeats, 3xx notifications,
// 4xx status pages, 5xx chat-ops and ingestion.
import type { MigrationContext } from './column-types.js';
import * as core from './001-core.js';
import * as auth from './002-auth.js';

export interface MigrationModule {
  up(ctx: MigrationContext): Promise<void>;
  down(ctx: MigrationContext): Promise<void>;
}

export const migrations: Record<string, MigrationModule> = {
  '001-core': core,
  '002-auth': auth,
};
