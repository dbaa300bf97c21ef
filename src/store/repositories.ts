// One place that builds every repository on an executor (the database or a transaction).
import type { DialectName } from './database-url.js';
import type { Executor } from './executor.js';
import { CredentialRepository } from './repositories/credential-repository.js';
import { EventRepository } from './repositories/event-repository.js';
import { IncidentRepository } from './repositories/incident-repository.js';
import { NamespaceRepository } from './repositories/namespace-repository.js';
import { ProjectRepository } from './repositories/project-repository.js';
import { ResultRepository } from './repositories/result-repository.js';
import { ServiceRepository } from './repositories/service-repository.js';
import { UserRepository } from './repositories/user-repository.js';

export interface Repositories {
  namespaces: NamespaceRepository;
  projects: ProjectRepository;
  services: ServiceRepository;
  incidents: IncidentRepository;
  results: ResultRepository;
  events: EventRepository;
  users: UserRepository;
  credentials: CredentialRepository;
}

export function repositories(db: Executor, dialect: DialectName): Repositories {
  return {
    namespaces: new NamespaceRepository(db),
    projects: new ProjectRepository(db),
    services: new ServiceRepository(db),
    incidents: new IncidentRepository(db),
    results: new ResultRepository(db),
    events: new EventRepository(db, dialect),
    users: new UserRepository(db),
    credentials: new CredentialRepository(db),
  };
}
