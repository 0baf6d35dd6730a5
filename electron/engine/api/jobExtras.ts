import type { LoadedConfig } from '../config/loadConfig.ts';
import { CostGuard } from '../cost/CostGuard.ts';
import { systemTimeZone } from '../cost/dayBoundary.ts';
import type { Db } from '../db/openDatabase.ts';
import { DiscoveryStateStore } from '../discovery/DiscoveryStateStore.ts';
import { quietAfterOf, usualInterval } from '../discovery/quietAfter.ts';
import type { JobCostToday, JobDiscoveryInfo } from './types.ts';

/**
 * What an overview card shows beyond stage counts: today's spend against the job's daily
 * limit, and its discovery schedule and health (failing since when, gone quiet, the
 * effective `quiet_after`). Two indexed lookups per job (costs_job_ts, the discovery_state
 * primary key), plus one on events while discovery is failing, so the overview stays cheap
 * with a million items.
 */
export function jobExtras(
  db: Db,
  config: LoadedConfig,
  jobId: string,
  now = Date.now(),
): { costToday: JobCostToday; discovery: JobDiscoveryInfo | null } {
  const job = config.jobs.find((j) => j.id === jobId);
  const guard = new CostGuard(
    db,
    {
      perJob: new Map(),
      timeZone: config.timezone ?? systemTimeZone(),
    },
    () => now,
    () => now,
  );
  const costToday: JobCostToday = {
    spentUsd: guard.spentToday(jobId),
    limitUsd: job?.guards?.daily_cost_limit ?? null,
    globalLimitUsd: config.daily_cost_limit ?? null,
  };
  if (!job?.discovery) return { costToday, discovery: null };
  const d = job.discovery;
  const row = hasDiscoveryTable(db) ? new DiscoveryStateStore(db).load(jobId) : null;
  const quiet = quietAfterOf(d, job.kind, now);
  const failures = row?.failures ?? 0;
  const lastNewAt = row?.lastNewAt ?? null;
  return {
    costToday,
    discovery: {
      strategy: d.strategy,
      lastRoundAt: row?.lastRoundAt ?? null,
      nextRoundAt: row?.nextRoundAt ?? null,
      lastError: row?.lastError ?? null,
      backoffUntil: row?.backoffUntil ?? null,
      skippedReason: row?.skippedReason ?? null,
      exhausted: row?.exhaustedAt != null,
      every: d.every ?? null,
      cron: d.cron ?? null,
      usualIntervalMs: usualInterval(d, now) ?? null,
      failures,
      failingSince: failures > 0 ? failingSince(db, jobId, row?.lastOkAt ?? null) : null,
      lastNewAt,
      quietAfterMs: quiet.ms,
      quietAfterSource: quiet.source,
      quietAfterWhy: quiet.ms === null ? quiet.why : null,
      quiet: quiet.ms !== null && lastNewAt !== null && now - lastNewAt > quiet.ms,
    },
  };
}

/**
 * When the current streak of failed rounds began: the first failed `discovery_round` event
 * after the last good round. Null when the events were pruned since (the count still shows).
 */
function failingSince(db: Db, jobId: string, lastOkAt: number | null): number | null {
  const row = db
    .prepare(
      `SELECT min(ts) AS t FROM events
        WHERE job_id = ? AND kind = 'discovery_round' AND ts >= ? AND json_extract(data, '$.errors') > 0`,
    )
    .get(jobId, lastOkAt ?? 0) as { t: number | null };
  return row.t;
}

// Databases from before migration 4 (read by an older offline CLI) have no such table.
function hasDiscoveryTable(db: Db): boolean {
  return (
    db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'discovery_state'`)
      .get() !== undefined
  );
}
