import { unitMs } from './retryAfter.ts';

/** Time zones markets and services name in their messages, as IANA zones. */
const ZONES: Record<string, string> = {
  utc: 'UTC',
  gmt: 'UTC',
  z: 'UTC',
  et: 'America/New_York',
  est: 'America/New_York',
  edt: 'America/New_York',
  ct: 'America/Chicago',
  cst: 'America/Chicago',
  cdt: 'America/Chicago',
  pt: 'America/Los_Angeles',
  pst: 'America/Los_Angeles',
  pdt: 'America/Los_Angeles',
  cet: 'Europe/Berlin',
  cest: 'Europe/Berlin',
  bst: 'Europe/London',
  jst: 'Asia/Tokyo',
};

/**
 * When a temporal error says work can resume: an ISO timestamp ("reopens 2025-01-06T14:30Z"),
 * a clock time ("opens at 09:30 ET" → the next 09:30 in New York), or a delay ("try again in
 * 2 hours"). Undefined when the message names no time; the doctor then picks a default.
 */
export function resumeTime(text: string, now: number): number | undefined {
  const iso =
    /\b(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)/.exec(text);
  if (iso) {
    const t = Date.parse(iso[1]!.replace(' ', 'T'));
    if (!Number.isNaN(t) && t > now) return t;
  }
  const clock =
    /\b(?:opens?|reopens?|resumes?|available|back|until|at)\b[^\d\n]{0,20}(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\s*(utc|gmt|z|e[sd]?t|c[sd]?t|p[sd]?t|cest|cet|bst|jst)?\b/i.exec(
      text,
    );
  if (clock && (clock[2] !== undefined || clock[3] !== undefined)) {
    let hh = Number(clock[1]);
    const mm = Number(clock[2] ?? 0);
    const ampm = clock[3]?.toLowerCase();
    if (ampm === 'pm' && hh < 12) hh += 12;
    if (ampm === 'am' && hh === 12) hh = 0;
    if (hh < 24 && mm < 60) {
      const zone = clock[4] ? ZONES[clock[4].toLowerCase()] : undefined;
      return nextClockTime(hh, mm, zone, now);
    }
  }
  const rel =
    /\bin\s+(\d+(?:\.\d+)?)\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|[smhd])\b/i.exec(
      text,
    );
  if (rel) return now + Number(rel[1]) * unitMs(rel[2]!);
  return undefined;
}

/** The next instant after `now` when the wall clock in `zone` (default: local) reads hh:mm. */
export function nextClockTime(
  hh: number,
  mm: number,
  zone: string | undefined,
  now: number,
): number {
  for (let dayOffset = 0; dayOffset <= 2; dayOffset++) {
    const wall = wallClock(now + dayOffset * 86_400_000, zone);
    // The wall-clock date of that day at hh:mm, read as if it were UTC, minus the zone offset.
    const asUtc = Date.UTC(wall.y, wall.mo - 1, wall.d, hh, mm);
    const t = asUtc - offsetMs(asUtc, zone);
    if (t > now) return t;
  }
  return now + 86_400_000;
}

function wallClock(t: number, zone: string | undefined): { y: number; mo: number; d: number } {
  if (!zone) {
    const d = new Date(t);
    return { y: d.getFullYear(), mo: d.getMonth() + 1, d: d.getDate() };
  }
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: get('year'), mo: get('month'), d: get('day') };
}

/** The zone's offset from UTC at about that instant (DST-aware). */
function offsetMs(t: number, zone: string | undefined): number {
  if (!zone) return -new Date(t).getTimezoneOffset() * 60_000;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(t / 1000) * 1000;
}
