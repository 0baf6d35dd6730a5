import type { LoadedConfig } from '../config/loadConfig.ts';
import { CostGuard } from '../cost/CostGuard.ts';
import { systemTimeZone } from '../cost/dayBoundary.ts';
import type { Db } from '../db/openDatabase.ts';
import { DiscoveryStateStore } from '../discovery/DiscoveryStateStore.ts';
import type { JobCostToday, JobDiscoveryInfo } from './types.ts';

/**
 * What an overview card shows beyond stage counts: today's spend against the job's daily
 * limit, and its discovery schedule. Two indexed lookups per job (costs_job_ts, the
 * discovery_state primary key), so the overview stays cheap with a million items.
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
  const row = hasDiscoveryTable(db) ? new DiscoveryStateStore(db).load(jobId) : null;
  return {
    costToday,
    discovery: {
      strategy: job.discovery.strategy,
      lastRoundAt: row?.lastRoundAt ?? null,
      nextRoundAt: row?.nextRoundAt ?? null,
      lastError: row?.lastError ?? null,
      backoffUntil: row?.backoffUntil ?? null,
      skippedReason: row?.skippedReason ?? null,
      exhausted: row?.exhaustedAt != null,
    },
  };
}

// Databases from before migration 4 (read by an older offline CLI) have no such table.
function hasDiscoveryTable(db: Db): boolean {
  return (
    db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'discovery_state'`)
      .get() !== undefined
  );
}
