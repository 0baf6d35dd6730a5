import type { CostReport, CostRow } from '../api/contentTypes.ts';
import type { LoadedConfig } from '../config/loadConfig.ts';
import type { Db } from '../db/openDatabase.ts';
import { CostGuard } from './CostGuard.ts';
import { dayKey, dayStart, systemTimeZone } from './dayBoundary.ts';

export type CostGroup = 'day' | 'job' | 'stage' | 'model';

/**
 * Spend per day/job/stage/model (any combination). Days are calendar days in the configured
 * time zone, so grouping happens here rather than in SQL (SQLite knows only UTC).
 */
export function costReport(
  db: Db,
  config: LoadedConfig,
  q: { jobId?: string; since?: number; until?: number; groupBy: CostGroup[] },
  now = Date.now(),
): CostReport {
  const timeZone = config.timezone ?? systemTimeZone();
  const since = q.since ?? dayStart(now - 29 * 86_400_000, timeZone);
  const raw = db
    .prepare(
      `SELECT ts, job_id AS jobId, stage, model, usd, coalesce(tokens_in, 0) AS tokensIn, coalesce(tokens_out, 0) AS tokensOut
         FROM costs WHERE ts >= @since AND (@until IS NULL OR ts < @until) AND (@jobId IS NULL OR job_id = @jobId)`,
    )
    .all({ since, until: q.until ?? null, jobId: q.jobId ?? null }) as {
    ts: number;
    jobId: string;
    stage: string | null;
    model: string | null;
    usd: number | null;
    tokensIn: number;
    tokensOut: number;
  }[];
  const groups = new Map<string, CostRow>();
  let totalUsd = 0;
  let unknownCalls = 0;
  for (const r of raw) {
    const key: Partial<CostRow> = {};
    if (q.groupBy.includes('day')) key.day = dayKey(r.ts, timeZone);
    if (q.groupBy.includes('job')) key.jobId = r.jobId;
    if (q.groupBy.includes('stage')) key.stage = r.stage;
    if (q.groupBy.includes('model')) key.model = r.model;
    const k = JSON.stringify(key);
    let row = groups.get(k);
    if (!row)
      groups.set(
        k,
        (row = { ...key, usd: 0, calls: 0, unknownCalls: 0, tokensIn: 0, tokensOut: 0 }),
      );
    row.calls++;
    row.tokensIn += r.tokensIn;
    row.tokensOut += r.tokensOut;
    if (r.usd === null) {
      row.unknownCalls++;
      unknownCalls++;
    } else {
      row.usd += r.usd;
      totalUsd += r.usd;
    }
  }
  const rows = [...groups.values()].sort(
    (a, b) =>
      (b.day ?? '').localeCompare(a.day ?? '') ||
      (a.jobId ?? '').localeCompare(b.jobId ?? '') ||
      b.usd - a.usd,
  );
  const guard = new CostGuard(
    db,
    { perJob: new Map(), timeZone },
    () => now,
    () => now,
  );
  const limits: CostReport['limits'] = [];
  if (config.daily_cost_limit !== undefined)
    limits.push({
      jobId: null,
      spentTodayUsd: guard.spentToday(),
      limitUsd: config.daily_cost_limit,
    });
  for (const j of config.jobs) {
    if (q.jobId && j.id !== q.jobId) continue;
    const limit = j.guards?.daily_cost_limit;
    if (limit !== undefined)
      limits.push({ jobId: j.id, spentTodayUsd: guard.spentToday(j.id), limitUsd: limit });
  }
  return { timeZone, since, rows, totalUsd, unknownCalls, limits };
}

/** Average known USD per item of each stage (reprocess estimates); null when nothing was spent. */
export function avgUsdPerItem(db: Db, jobId: string, stages: string[]): number | null {
  let total: number | null = null;
  const stmt = db.prepare(
    `SELECT sum(usd) AS usd, count(DISTINCT item_id) AS items FROM costs WHERE job_id = ? AND stage = ? AND usd IS NOT NULL`,
  );
  for (const s of stages) {
    const r = stmt.get(jobId, s) as { usd: number | null; items: number };
    if (r.usd !== null && r.items > 0) total = (total ?? 0) + r.usd / r.items;
  }
  return total;
}
