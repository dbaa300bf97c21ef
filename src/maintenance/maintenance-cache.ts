// "Is this service in maintenance at time t?" answered from memory. The windows are re-read from
// the database every few seconds (and at once after a local change), so windows created through
// another instance apply within `refreshMs`.
import type { Cron } from 'croner';
import type { Executor } from '../store/executor.js';
import { MaintenanceRepository } from './maintenance-repository.js';
import { coversService, cronOf, occurrenceAt, type MaintenanceWindow, type ScopedService } from './maintenance-window.js';

interface LoadedWindow {
  window: MaintenanceWindow;
  cron: Cron | undefined;
}

export class MaintenanceCache {
  private windows: LoadedWindow[] = [];
  private loadedAt = -Infinity;
  private loading: Promise<void> | undefined;

  constructor(private readonly db: Executor, private readonly now: () => number, private readonly refreshMs = 5000) {}

  /** Re-reads the windows when the copy is older than `refreshMs` (or `force`). */
  async refresh(force = false): Promise<void> {
    if (!force && this.now() - this.loadedAt < this.refreshMs) return;
    this.loading ??= (async () => {
      try {
        const windows = await new MaintenanceRepository(this.db).list();
        this.windows = windows.map((window) => ({ window, cron: window.cron ? safeCron(window) : undefined }));
        this.loadedAt = this.now();
      } finally {
        this.loading = undefined;
      }
    })();
    await this.loading;
  }

  /** Forgets the copy so the next refresh() reads the database. */
  invalidate(): void {
    this.loadedAt = -Infinity;
  }

  isInMaintenance(service: ScopedService, at: number): boolean {
    return this.windows.some(({ window, cron }) => coversService(window, service) && (window.cron === null || cron !== undefined)
      && occurrenceAt(window, at, cron) !== null);
  }
}

/** A window whose cron no longer parses (e.g. edited in the database) is ignored, not fatal. */
function safeCron(window: MaintenanceWindow): Cron | undefined {
  try {
    return cronOf(window);
  } catch {
    return undefined;
  }
}
