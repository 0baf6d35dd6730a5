/** Readable numbers for long sessions: 1,234 · 12.3k · 4.5M. */
export function count(n: number | null | undefined): string {
  if (n == null) return '—';
  if (Math.abs(n) < 10_000) return n.toLocaleString('en-US');
  if (Math.abs(n) < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 2 : 1)}M`;
}

/** A duration: 850 ms · 12.4 s · 3 m 20 s · 2 h 5 m · 3 d 4 h. */
export function duration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${Math.floor(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} m`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** "3 m ago" / "in 2 h" relative to now. */
export function relative(ts: number | null | undefined, now = Date.now()): string {
  if (ts == null) return 'never';
  const d = ts - now;
  if (Math.abs(d) < 1500) return 'just now';
  return d < 0 ? `${duration(-d)} ago` : `in ${duration(d)}`;
}

export function dateTime(ts: number | null | undefined): string {
  if (ts == null) return '—';
  return new Date(ts).toLocaleString();
}

export function usd(n: number | null | undefined): string {
  if (n == null) return '—';
  return n < 0.01 && n > 0 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

export function percent(part: number, whole: number): number {
  return whole <= 0 ? 0 : Math.min(100, (part / whole) * 100);
}
