// In-memory cache of rendered pages, feeds and badges. Correctness never rests on this process's
// memory alone: an entry is trusted for `freshMs`, then kept only while the database's site
// version is unchanged (one shared query per `freshMs`), and rebuilt after `maxAgeMs` whatever
// happens (response times and check-in times move without a version change). Local changes
// clear it at once through invalidate(). While the database is unavailable, the last entry is
// served whatever its age (stale-if-error).
import { isDatabaseUnavailable } from '../../store/database-unavailable.js';

export interface RenderCacheOptions {
  now: () => number;
  readVersion: () => Promise<string>;
  freshMs?: number;
  maxAgeMs?: number;
  maxEntries?: number;
}

interface Entry {
  value: unknown;
  version: string;
  builtAt: number;
  checkedAt: number;
}

export class RenderCache {
  private readonly entries = new Map<string, Entry>();
  private readonly building = new Map<string, Promise<unknown>>();
  private version: { value: Promise<string>; at: number } | null = null;
  private generation = 0;
  private readonly freshMs: number;
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: RenderCacheOptions) {
    this.freshMs = options.freshMs ?? 5_000;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 2_000;
  }

  invalidate(): void {
    // Out of date, not gone: the next request rebuilds, but an outage that comes first can still
    // serve them (see get).
    for (const entry of this.entries.values()) {
      entry.checkedAt = Number.NEGATIVE_INFINITY;
      entry.builtAt = Number.NEGATIVE_INFINITY;
    }
    this.building.clear();
    this.version = null;
    this.generation++;
  }

  async get<T>(key: string, build: () => Promise<T>): Promise<T> {
    const now = this.options.now();
    const entry = this.entries.get(key);
    if (entry && now - entry.checkedAt < this.freshMs) return entry.value as T;
    try {
      const version = await this.currentVersion(now);
      if (entry && entry.version === version && now - entry.builtAt < this.maxAgeMs) {
        entry.checkedAt = now;
        return entry.value as T;
      }
      return await this.rebuild(key, version, build);
    } catch (err) {
      // The database is restarting or unreachable: the last page built beats an error page, for
      // as long as that lasts (a page says when it was updated). Other errors are bugs: thrown.
      if (entry && isDatabaseUnavailable(err)) return entry.value as T;
      throw err;
    }
  }

  private currentVersion(now: number): Promise<string> {
    if (!this.version || now - this.version.at >= this.freshMs) {
      const value = this.options.readVersion();
      value.catch(() => { this.version = null; });
      this.version = { value, at: now };
    }
    return this.version.value;
  }

  /** Concurrent requests for one key share one build. */
  private rebuild<T>(key: string, version: string, build: () => Promise<T>): Promise<T> {
    const pending = this.building.get(key);
    if (pending) return pending as Promise<T>;
    const generation = this.generation;
    const promise = build().then((value) => {
      // A build that raced an invalidation may hold old data: hand it out once, do not keep it.
      if (generation === this.generation) this.store(key, { value, version, builtAt: this.options.now(), checkedAt: this.options.now() });
      return value;
    }).finally(() => {
      if (this.building.get(key) === promise) this.building.delete(key);
    });
    this.building.set(key, promise);
    return promise;
  }

  private store(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
