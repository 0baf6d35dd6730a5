/**
 * Calendar days in a time zone, for the daily cost limit ("today" is the person's today, not
 * UTC's). Uses Intl only; DST days are 23 or 25 hours long and are handled by re-deriving the
 * zone's offset at the boundary itself.
 */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    // Intl throws RangeError for unknown zones; that is the answer.
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function parts(
  tz: string,
  t: number,
): { y: number; m: number; d: number; hh: number; mm: number; ss: number } {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return {
    y: Number(p.year),
    m: Number(p.month),
    d: Number(p.day),
    hh: Number(p.hour),
    mm: Number(p.minute),
    ss: Number(p.second),
  };
}

/** The zone's offset from UTC at instant t, in ms (positive east of Greenwich). */
function offsetAt(tz: string, t: number): number {
  const p = parts(tz, t);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.hh, p.mm, p.ss);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** The instant local midnight of (y, m, d) happens in the zone. */
function localMidnight(tz: string, y: number, m: number, d: number): number {
  const naive = Date.UTC(y, m - 1, d);
  let t = naive - offsetAt(tz, naive);
  t = naive - offsetAt(tz, t); // second pass: the offset at the boundary, not a day earlier
  return t;
}

export function dayStart(t: number, tz: string): number {
  const p = parts(tz, t);
  return localMidnight(tz, p.y, p.m, p.d);
}

export function nextDayStart(t: number, tz: string): number {
  const p = parts(tz, t);
  return localMidnight(tz, p.y, p.m, p.d + 1);
}

/** `YYYY-MM-DD` of instant t in the zone (how spend is grouped per day). */
export function dayKey(t: number, tz: string): string {
  const p = parts(tz, t);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}
