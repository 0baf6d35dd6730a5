/**
 * Every way a stage run can end, as one discriminated union (STYLE.md §5). The stage worker
 * turns whatever happened — a return, a throw, a timeout, an abort — into exactly one of these,
 * and the tracker writes it in one transaction.
 */
export type StageOutcome =
  | {
      kind: 'done';
      output: Record<string, unknown>;
      artifacts?: Record<string, unknown>;
      /** New priority for the item's remaining stages (`_priority`). */
      priority?: number;
      costs?: CostEntry[];
    }
  | {
      kind: 'retry';
      readyAt: number;
      error: string;
      errorClass: string;
      costs?: CostEntry[];
      /**
       * The run did not get a fair try (a rate limit, a network outage): give back the attempt
       * counted at claim, so waiting out the world never uses up the item's retries.
       */
      refundAttempt?: boolean;
    }
  | { kind: 'failed'; error: string; errorClass: string; costs?: CostEntry[] }
  | { kind: 'dead'; error: string; errorClass: string; costs?: CostEntry[] }
  | { kind: 'skipped'; reason: string; costs?: CostEntry[] }
  /** Shutdown: the run is handed back untouched (the attempt is not counted). */
  | { kind: 'handed_back' };

export interface CostEntry {
  usd: number | null;
  model?: string;
  tokensIn?: number;
  tokensOut?: number;
}

/** Which claim an outcome belongs to; the completion is guarded on all of it. */
export interface ClaimRef {
  rowId: number;
  itemId: number;
  jobId: string;
  stage: string;
  owner: string;
  attempts: number;
  version: string;
}
