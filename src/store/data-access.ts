// The one handle domain services get: repositories on the database, and transactions that give
// repositories bound to the transaction.
import type { Store } from './connect.js';
import type { Executor } from './executor.js';
import { repositories, type Repositories } from './repositories.js';

export class DataAccess {
  readonly repos: Repositories;
  constructor(readonly store: Store) {
    this.repos = repositories(store.db, store.dialect);
  }

  get db(): Executor {
    return this.store.db;
  }

  get dialect() {
    return this.store.dialect;
  }

  transaction<T>(fn: (repos: Repositories, trx: Executor) => Promise<T>): Promise<T> {
    return this.store.db.transaction().execute((trx) => fn(repositories(trx, this.store.dialect), trx));
  }
}
