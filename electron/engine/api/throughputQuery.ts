import type { Db } from '../db/openDatabase.ts';
import type { ThroughputResult } from './types.ts';

/**
 * Completed stage runs per job in fixed time buckets (the overview's sparklines), summed from
 * the batched `stages_done` events — one per job/stage per commit, carrying `{ count }` — so
 * it reads a few thousand event rows along `events_ts`, never the item tables. Buckets are
 * aligned to multiples of bucketMs, oldest first, ending with the bucket that holds `now`.
 */
export function throughputQuery(
  db: Db,
  q: { buckets: number; bucketMs: number; jobId?: string | undefined },
  now = Date.now(),
): ThroughputResult {
  const last = Math.floor(now / q.bucketMs) * q.bucketMs;
  const since = last - (q.buckets - 1) * q.bucketMs;
  const rows = db
    .prepare(
      `SELECT job_id AS jobId, CAST(ts / @bucketMs AS INTEGER) * @bucketMs AS bucket,
              sum(json_extract(data, '$.count')) AS n
         FROM events
        WHERE ts >= @since AND kind = 'stages_done' AND (@jobId IS NULL OR job_id = @jobId)
        GROUP BY job_id, bucket`,
    )
    .all({ since, bucketMs: q.bucketMs, jobId: q.jobId ?? null }) as {
    jobId: string | null;
    bucket: number;
    n: number | null;
  }[];
  const series: Record<string, number[]> = {};
  for (const r of rows) {
    if (!r.jobId) continue;
    const i = Math.round((r.bucket - since) / q.bucketMs);
    if (i < 0 || i >= q.buckets) continue;
    const s = (series[r.jobId] ??= new Array<number>(q.buckets).fill(0));
    s[i] = (s[i] ?? 0) + (r.n ?? 0);
  }
  return { since, bucketMs: q.bucketMs, series };
}
