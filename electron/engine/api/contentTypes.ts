/** Output types of the content-stage queries (node-free: the renderer imports the contract). */

export interface ReprocessResult {
  /** Rows of the stage that were (or, with dryRun, would be) reset. */
  count: number;
  /** The stage and every stage downstream of it: all of them run again for those items. */
  stages: string[];
  /** Historical average USD per item of those stages (null: no cost recorded yet). */
  avgUsdPerItem: number | null;
  estimatedUsd: number | null;
  dryRun: boolean;
  staleOnly: boolean;
  /** The job is (still) paused: nothing reprocessed runs until it is resumed. */
  paused: boolean;
  /** Cursor for the next chunk (the last stage row reset), null when nothing was. */
  lastRowId: number | null;
}

export interface CostRow {
  day?: string;
  jobId?: string;
  stage?: string | null;
  model?: string | null;
  /** Known spend; calls with an unknown price are counted in `unknownCalls`, not as zero. */
  usd: number;
  calls: number;
  unknownCalls: number;
  tokensIn: number;
  tokensOut: number;
}

export interface CostReport {
  timeZone: string;
  since: number;
  rows: CostRow[];
  totalUsd: number;
  unknownCalls: number;
  /** Today's spend against each configured daily limit (jobId null = the global limit). */
  limits: { jobId: string | null; spentTodayUsd: number; limitUsd: number }[];
}

export interface AuditRate {
  stage: string;
  check: string;
  total: number;
  passed: number;
  passRate: number;
}

export interface DiscrepancyRate {
  stage: string;
  field: string;
  checked: number;
  discrepancies: number;
  rate: number;
}

export interface QaStats {
  audits: AuditRate[];
  discrepancies: DiscrepancyRate[];
}
