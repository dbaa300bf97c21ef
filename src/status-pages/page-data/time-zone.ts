// Calendar days and wall-clock times in a page's IANA time zone, with Intl only (no tz library).
// Formatters are cached: building an Intl.DateTimeFormat costs far more than using one.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, kind: 'date' | 'parts' | 'display'): Intl.DateTimeFormat {
  const cacheKey = `${kind} ${timeZone}`;
  let f = formatters.get(cacheKey);
  if (!f) {
    if (kind === 'date') f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    else if (kind === 'parts') f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    else f = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
    formatters.set(cacheKey, f);
  }
  return f;
}

/** "YYYY-MM-DD" of the instant in the zone. */
export function zonedDate(at: number, timeZone: string): string {
  return formatter(timeZone, 'date').format(at);
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const p = Object.fromEntries(formatter(timeZone, 'parts').formatToParts(at).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant the zone's day "YYYY-MM-DD" begins (twice refined across offset changes). */
export function startOfZonedDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const utcMidnight = Date.UTC(y, m - 1, d);
  const guess = utcMidnight - offsetAt(utcMidnight, timeZone);
  return utcMidnight - offsetAt(guess, timeZone);
}

function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export interface DaySpan {
  date: string;
  start: number;
  /** Exclusive; `now` for today. */
  end: number;
}

/** The last `count` days in the zone, oldest first, today (so far) last. */
export function lastDays(now: number, timeZone: string, count: number): DaySpan[] {
  const today = zonedDate(now, timeZone);
  const [y, m, d] = today.split('-').map(Number);
  const out: DaySpan[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const date = new Date(Date.UTC(y, m - 1, d - i)).toISOString().slice(0, 10);
    const start = startOfZonedDay(date, timeZone);
    out.push({ date, start, end: i === 0 ? now : startOfZonedDay(nextDate(date), timeZone) });
  }
  return out;
}

/** [start, end) of a calendar month "YYYY-MM" in the zone. */
export function monthSpan(month: string, timeZone: string): { start: number; end: number } {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { start: startOfZonedDay(`${month}-01`, timeZone), end: startOfZonedDay(`${next}-01`, timeZone) };
}

/** "21 Nov 2026, 14:05 CET" */
export function formatZoned(at: number, timeZone: string): string {
  return formatter(timeZone, 'display').format(at);
}
