// A database server started together with Tocsin (docker compose, a reboot) may not take
// connections yet. Start-up waits for it, saying so, instead of exiting and leaving the restart
// loop to a supervisor that may not exist. Any other error (a wrong password, a missing database)
// ends the wait at once: it will not pass by waiting.
import { sql } from 'kysely';
import type { Store } from './connect.js';
import { isDatabaseUnavailable } from './database-unavailable.js';

export interface WaitOptions {
  maxWaitMs: number;
  /** Told of each failed try that will be followed by another. */
  onRetry: (err: unknown, attempt: number, delayMs: number) => void;
  /** The first wait; each next one doubles, up to 5 s. */
  firstDelayMs?: number;
}

export async function waitForDatabase(store: Store, options: WaitOptions): Promise<void> {
  if (store.dialect === 'sqlite') return; // a file: there is nothing to wait for
  const started = Date.now();
  let delayMs = options.firstDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`select 1`.execute(store.db);
      return;
    } catch (err) {
      const remainingMs = options.maxWaitMs - (Date.now() - started);
      if (!isDatabaseUnavailable(err) || remainingMs <= 0) throw err;
      const waitMs = Math.min(delayMs, remainingMs);
      options.onRetry(err, attempt, waitMs);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      delayMs = Math.min(delayMs * 2, 5_000);
    }
  }
}
