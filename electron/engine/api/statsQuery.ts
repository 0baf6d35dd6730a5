import type { Db } from '../db/openDatabase.ts';
import type { StatsRow } from './types.ts';

/**
 * Per UTC day, job and stage: runs done (from the batched `stages_done` events), failures
 * (failed + dead), retries, and spend. Reads events and costs only: no scan of item rows.
 */
export function statsQuery(
  db: Db,
  days: number,
  jobId: string | null,
  now = Date.now(),
): StatsRow[] {
  const since = now - days * 86_400_000;
  const rows = db
    .prepare(
      `SELECT date(ts / 1000, 'unixepoch') AS day, job_id AS jobId, stage,
              sum(CASE WHEN kind = 'stages_done' THEN json_extract(data, '$.count') ELSE 0 END) AS done,
              sum(kind IN ('stage_failed', 'stage_dead')) AS failed,
              sum(kind = 'stage_retry') AS retried
         FROM events
        WHERE ts >= @since AND stage IS NOT NULL AND (@jobId IS NULL OR job_id = @jobId)
          AND kind IN ('stages_done', 'stage_failed', 'stage_dead', 'stage_retry')
        GROUP BY day, job_id, stage`,
    )
    .all({ since, jobId }) as Omit<StatsRow, 'usd'>[];
  const spend = db
    .prepare(
      `SELECT date(ts / 1000, 'unixepoch') AS day, job_id AS jobId, stage, sum(usd) AS usd
         FROM costs WHERE ts >= @since AND (@jobId IS NULL OR job_id = @jobId) GROUP BY day, job_id, stage`,
    )
    .all({ since, jobId }) as {
    day: string;
    jobId: string;
    stage: string | null;
    usd: number | null;
  }[];
  const key = (r: { day: string; jobId: string; stage: string | null }) =>
    `${r.day}\u0000${r.jobId}\u0000${r.stage ?? ''}`;
  const out = new Map<string, StatsRow>(rows.map((r) => [key(r), { ...r, usd: null }]));
  for (const s of spend) {
    const k = key(s);
    const row = out.get(k) ?? {
      day: s.day,
      jobId: s.jobId,
      stage: s.stage ?? '',
      done: 0,
      failed: 0,
      retried: 0,
      usd: null,
    };
    row.usd = s.usd;
    out.set(k, row);
  }
  return [...out.values()].sort(
    (a, b) =>
      b.day.localeCompare(a.day) ||
      a.jobId.localeCompare(b.jobId) ||
      a.stage.localeCompare(b.stage),
  );
}
