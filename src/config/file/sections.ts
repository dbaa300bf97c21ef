// Top-level sections of the config file beyond the catalog (notification channels, status
// pages, ...). A feature adds its section here: a key, its schema, and how to apply it.
import type { TSchema } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { channelsConfigSection } from '../../alerts/channels-config-section.js';
import { maintenanceConfigSection } from '../../maintenance/maintenance-config-section.js';
import { statusPagesConfigSection } from '../../status-pages/status-pages-config-section.js';

export interface ConfigSection {
  key: string;
  schema: TSchema;
  /** Applies the section idempotently; objects it creates are marked `managedBy: owner`. */
  apply(ctx: AppContext, value: unknown, owner: string): Promise<void>;
}

export const configSections: ConfigSection[] = [
  channelsConfigSection,
  statusPagesConfigSection,
  maintenanceConfigSection,
];
