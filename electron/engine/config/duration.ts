/**
 * Human durations from jobs.yaml: `500ms`, `30s`, `5m`, `3h`, `1d`, and sums such as `1h30m`.
 * A bare number is refused: `timeout: 30` could mean seconds or milliseconds, and guessing
 * wrong either kills every run or never times out.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

export function parseDuration(text: string): number {
  const s = text.trim();
  if (s === '') throw new Error('empty duration; write e.g. `30s`, `5m` or `3h`');
  let total = 0;
  let end = 0;
  PART.lastIndex = 0;
  for (let m = PART.exec(s); m; m = PART.exec(s)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    end = PART.lastIndex;
  }
  if (end !== s.length) {
    throw new Error(
      `\`${text}\` is not a duration; write a number with a unit: ms, s, m, h or d (e.g. \`30s\`, \`5m\`, \`1h30m\`)`,
    );
  }
  return total;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)}m`;
  if (ms < 86_400_000) return `${+(ms / 3_600_000).toFixed(1)}h`;
  return `${+(ms / 86_400_000).toFixed(1)}d`;
}
