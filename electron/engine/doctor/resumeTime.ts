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

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/** US equity markets: what "after the close" and "the next open" mean when nobody says. */
const MARKET_ZONE = 'America/New_York';
const MARKET_OPEN = [9, 30] as const;
const MARKET_CLOSE = [16, 0] as const;

const ZONE_RE = '(utc|gmt|z|e[sd]?t|c[sd]?t|p[sd]?t|cest|cet|bst|jst)';

/**
 * When a temporal error says work can resume, in the order a person would read it:
 * - an ISO timestamp ("reopens 2025-01-06T14:30Z") or a written date ("until December 2,
 *   2026 10:00 UTC", "on 3 Dec 2026 at 09:00 CET");
 * - a delay ("try again in 2 hours", "reset in 3 hours", "premieres in 45 minutes");
 * - a clock time after a word that introduces one ("until 23:45 ET", "opens at 9:30 am EST",
 *   "after 17:00") → the next such time in that zone (default: local);
 * - market words: "after (the) market close" → the next 16:00 New York time; a closed
 *   market, weekend or exchange holiday with no time → the next weekday 09:30 New York;
 * - "tomorrow" → the next local midnight.
 * Undefined when the message names no time; the doctor then picks a default.
 */
export function resumeTime(text: string, now: number): number | undefined {
  const t = statedTime(text, now);
  // "in 400 days" is a typo or a joke; a week is the longest a pause waits unattended.
  return t === undefined ? undefined : Math.min(t, now + MAX_RESUME_MS);
}

/** The longest a stated resume time is believed (then the pause repeats if still closed). */
export const MAX_RESUME_MS = 7 * 86_400_000;

function statedTime(text: string, now: number): number | undefined {
  const iso =
    /\b(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)/.exec(text);
  if (iso) {
    const t = Date.parse(iso[1]!.replace(' ', 'T'));
    if (!Number.isNaN(t) && t > now) return t;
  }
  const written = writtenDate(text, now);
  if (written !== undefined) return written;
  const rel =
    /\b(?:in|after|within)\s+(?:about\s+|approximately\s+|~)?(\d+(?:\.\d+)?)\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|[smhd])\b/i.exec(
      text,
    );
  if (rel) return now + Number(rel[1]) * unitMs(rel[2]!);
  const clock = new RegExp(
    `\\b(?:opens?|reopens?|resumes?|available|back|until|till|til|at|after|from|by|starts?|begins?)\\b[^\\d\\n]{0,20}(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm|a\\.m\\.|p\\.m\\.)?\\s*${ZONE_RE}?\\b`,
    'i',
  ).exec(text);
  // "at line 12:34" or "at column 3:14" is a place in a file, not a time of day.
  if (
    clock &&
    (clock[2] !== undefined || clock[3] !== undefined) &&
    !/\b(?:line|column|col|position|offset|char|row|byte)s?\b/i.test(clock[0])
  ) {
    let hh = Number(clock[1]);
    const mm = Number(clock[2] ?? 0);
    const ampm = clock[3]?.toLowerCase().replace(/\./g, '');
    if (ampm === 'pm' && hh < 12) hh += 12;
    if (ampm === 'am' && hh === 12) hh = 0;
    if (hh < 24 && mm < 60) {
      const zone = clock[4] ? ZONES[clock[4].toLowerCase()] : undefined;
      return nextClockTime(hh, mm, zone, now);
    }
  }
  if (
    /\bafter (?:the )?(?:market|trading|session|exchange)?\s*close\b|\bafter[- ]hours data\b/i.test(
      text,
    )
  )
    return nextClockTime(MARKET_CLOSE[0], MARKET_CLOSE[1], MARKET_ZONE, now);
  if (
    /\b(?:market|exchange|trading|stock|nyse|nasdaq|session)s?\b[^.\n]{0,40}\b(?:closed|not open|holiday|halted|suspended)|\b(?:weekend|holiday)\b[^.\n]{0,40}\b(?:closed|market|trading|exchange)/i.test(
      text,
    )
  )
    return nextMarketOpen(now);
  if (/\btomorrow\b/i.test(text)) {
    const d = new Date(now);
    d.setHours(24, 0, 0, 0);
    return d.getTime();
  }
  return undefined;
}

/** "December 2, 2026 10:00 UTC", "2 Dec 2026 at 09:00 CET", "Dec 2 10:00" (this year or next). */
function writtenDate(text: string, now: number): number | undefined {
  const re = new RegExp(
    `\\b(?:(\\d{1,2})(?:st|nd|rd|th)?\\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?)(?:,?\\s+(\\d{4}))?(?:,?\\s+(?:at\\s+)?(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm)?\\s*${ZONE_RE}?)?\\b`,
    'i',
  );
  const m = re.exec(text);
  if (!m) return undefined;
  const day = Number(m[1] ?? m[4]);
  const month = MONTHS[(m[2] ?? m[3])!.toLowerCase().slice(0, 3)]!;
  if (day < 1 || day > 31) return undefined;
  let hh = m[6] !== undefined ? Number(m[6]) : 0;
  const mm = m[7] !== undefined ? Number(m[7]) : 0;
  if (m[8]?.toLowerCase() === 'pm' && hh < 12) hh += 12;
  if (m[8]?.toLowerCase() === 'am' && hh === 12) hh = 0;
  if (hh > 23 || mm > 59) return undefined;
  const zone = m[9] ? ZONES[m[9].toLowerCase()] : undefined;
  const nowYear = new Date(now).getUTCFullYear();
  for (const year of m[5] ? [Number(m[5])] : [nowYear, nowYear + 1]) {
    const asUtc = Date.UTC(year, month, day, hh, mm);
    const t = asUtc - offsetMs(asUtc, zone);
    if (t > now) return t;
  }
  return undefined;
}

/** The next weekday 09:30 in New York after `now` (holidays are not known: the pause repeats). */
export function nextMarketOpen(now: number): number {
  let t = nextClockTime(MARKET_OPEN[0], MARKET_OPEN[1], MARKET_ZONE, now);
  for (let i = 0; i < 7; i++) {
    const weekday = new Intl.DateTimeFormat('en-US', {
      timeZone: MARKET_ZONE,
      weekday: 'short',
    }).format(new Date(t));
    if (weekday !== 'Sat' && weekday !== 'Sun') return t;
    t = nextClockTime(MARKET_OPEN[0], MARKET_OPEN[1], MARKET_ZONE, t);
  }
  return t;
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
