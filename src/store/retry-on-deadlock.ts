// Deadlocks between instances are expected on PostgreSQL and MySQL when transactions lock several
// rows: a group of settled attempts against another instance's claim of outbox rows, or two
// deadline sweeps writing incidents and events at once. The database aborts one of them; the
// answer is to run its whole transaction again.

export function isDeadlock(err: unknown): boolean {
  const e = err as { code?: string; errno?: number };
  return e?.code === '40P01' || e?.code === '40001' || e?.code === 'ER_LOCK_DEADLOCK' || e?.errno === 1213;
}

export async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isDeadlock(err) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}
