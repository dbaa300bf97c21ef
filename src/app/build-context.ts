import { AuthService, defaultAuthSettings } from '../auth/auth-service.js';
import { CatalogEvents } from '../catalog/catalog-events.js';
import { NamespaceService } from '../catalog/namespace-service.js';
import { ProjectService } from '../catalog/project-service.js';
import { ServiceService } from '../catalog/service-service.js';
import { StateTransitions } from '../catalog/state-transitions.js';
import type { Settings } from '../config/settings.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/connect.js';
import { DataAccess } from '../store/data-access.js';
import type { AppContext } from './context.js';

export function buildContext(settings: Readonly<Settings>, store: Store, logger: Logger, now: () => number = Date.now): AppContext {
  const data = new DataAccess(store);
  const transitions = new StateTransitions();
  const catalogEvents = new CatalogEvents();
  return {
    settings, logger, now, data, transitions, catalogEvents,
    auth: new AuthService(data.repos, now, { ...defaultAuthSettings, sessionTtlMs: settings.sessionTtlMs }),
    namespaces: new NamespaceService(data, now),
    projects: new ProjectService(data, now),
    services: new ServiceService(data, transitions, catalogEvents, now),
  };
}
