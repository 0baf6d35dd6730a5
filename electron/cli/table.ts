/** Plain aligned text tables for human output (`--json` gives machines the real data). */
export function table(
  headers: string[],
  rows: (string | number | null | undefined)[][],
  align: ('l' | 'r')[] = [],
): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)),
  );
  const fmt = (r: string[]) =>
    r
      .map((c, i) =>
        align[i] === 'r' ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number),
      )
      .join('  ')
      .trimEnd();
  return [fmt(headers), fmt(widths.map((w) => '─'.repeat(w))), ...cells.map(fmt)].join('\n');
}

export function ago(ts: number | null | undefined, now = Date.now()): string {
  if (!ts) return '';
  const s = Math.round((now - ts) / 1000);
  if (s < 0) return `in ${fmtSecs(-s)}`;
  return `${fmtSecs(s)} ago`;
}

function fmtSecs(s: number): string {
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  if (s < 86400) return `${(s / 3600).toFixed(1)}h`;
  return `${(s / 86400).toFixed(1)}d`;
}
