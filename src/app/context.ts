// Everything the features of a running Tocsin share, built once at start-up.
import type { AuthService } from '../auth/auth-service.js';
import type { CatalogEvents } from '../catalog/catalog-events.js';
import type { NamespaceService } from '../catalog/namespace-service.js';
import type { ProjectService } from '../catalog/project-service.js';
import type { ServiceService } from '../catalog/service-service.js';
import type { StateTransitions } from '../catalog/state-transitions.js';
import type { Settings } from '../config/settings.js';
import type { Logger } from '../logger.js';
import type { DataAccess } from '../store/data-access.js';

export interface AppContext {
  settings: Readonly<Settings>;
  logger: Logger;
  /** The clock: epoch milliseconds. Injected so tests can move time. */
  now: () => number;
  data: DataAccess;
  transitions: StateTransitions;
  catalogEvents: CatalogEvents;
  auth: AuthService;
  namespaces: NamespaceService;
  projects: ProjectService;
  services: ServiceService;
}
