// Durations as users write them: "30s", "5m", "1h30m", "2d", "500ms", a bare number of seconds,
// and Missme's "<unit> <count>" form ("hours 4", "days 1", "minutes 30").

const unitMs: Record<string, number> = {
  ms: 1, s: 1000, sec: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};

/**
 * The longest schedule duration Tocsin accepts (heartbeat periods and grace, channel reminders and
 * flapping windows), as Healthchecks allows. Times are epoch milliseconds in 64-bit columns: an
 * unbounded duration (1e20 s) made times no database could store, a 500 or worse.
 */
export const maxScheduleDurationMs = 365 * 86_400_000;

/** Parses a duration into milliseconds; returns null when the text is not a duration. */
export function parseDuration(input: string | number): number | null {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.round(input * 1000) : null;
  const text = input.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const missme = /^([a-z]+)\s+(\d+(?:\.\d+)?)$/.exec(text);
  if (missme) {
    const unit = unitMs[missme[1]];
    return unit === undefined ? null : Math.round(Number(missme[2]) * unit);
  }
  const parts = text.replace(/\s+/g, '').match(/(\d+(?:\.\d+)?)([a-z]+)/g);
  if (!parts || parts.join('') !== text.replace(/\s+/g, '')) return null;
  let total = 0;
  for (const part of parts) {
    const m = /^(\d+(?:\.\d+)?)([a-z]+)$/.exec(part)!;
    const unit = unitMs[m[2]];
    if (unit === undefined) return null;
    total += Number(m[1]) * unit;
  }
  return Math.round(total);
}

/** Formats milliseconds for humans: 90061000 -> "1d 1h 1m 1s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1000);
  const out: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out.push(`${n}${unit}`);
    rest -= n * size;
  }
  return out.slice(0, 3).join(' ');
}
