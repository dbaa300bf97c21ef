// A failure that repeats for every request (the database is down, thousands of check-ins a
// second) would write thousands of identical log lines a second, burying what came before it.
// LogThrottle lets the first one through, then at most one every `everyMs`, each saying how many
// it stood for.
export class LogThrottle {
  private lastWrittenAt = Number.NEGATIVE_INFINITY;
  private notWritten = 0;

  constructor(private readonly everyMs: number, private readonly now: () => number = Date.now) {}

  /** Calls `write` with how many reports since the last write were not written, or only counts this one. */
  report(write: (notWritten: number) => void): void {
    const now = this.now();
    if (now - this.lastWrittenAt < this.everyMs) {
      this.notWritten += 1;
      return;
    }
    const notWritten = this.notWritten;
    this.lastWrittenAt = now;
    this.notWritten = 0;
    write(notWritten);
  }
}
