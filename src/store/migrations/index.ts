// Every migration, in order. Names sort; add a new file and one line here.
// Ranges keep parallel work apart: 0xx core, 1xx checks, 2xx heartbeats, 3xx notifications,
// 4xx status pages, 5xx chat-ops and ingestion.
import type { MigrationContext } from './column-types.js';
import * as core from './001-core.js';
import * as auth from './002-auth.js';
import * as scheduler from './101-scheduler.js';
import * as maintenance from './102-maintenance.js';
import * as rollups from './103-rollups.js';
import * as heartbeats from './201-heartbeats.js';
import * as pingsReferenceByTrigger from './202-pings-reference-by-trigger.js';
import * as pingInbox from './203-ping-inbox.js';
import * as notifications from './301-notifications.js';
import * as statusPages from './401-status-pages.js';
import * as incidentServices from './402-incident-services.js';

export interface MigrationModule {
  up(ctx: MigrationContext): Promise<void>;
  down(ctx: MigrationContext): Promise<void>;
}

export const migrations: Record<string, MigrationModule> = {
  '001-core': core,
  '002-auth': auth,
  '101-scheduler': scheduler,
  '102-maintenance': maintenance,
  '103-rollups': rollups,
  '201-heartbeats': heartbeats,
  '202-pings-reference-by-trigger': pingsReferenceByTrigger,
  '203-ping-inbox': pingInbox,
  '301-notifications': notifications,
  '401-status-pages': statusPages,
  '402-incident-services': incidentServices,
};
