/**
 * The closed set of per-item, per-stage states (DESIGN.md §3). The CHECK constraint in
 * migration 0001 lists exactly these; keep the two in step.
 *
 *   waiting ──deps done──▶ pending ──claim──▶ running ──ok──▶ done
 *                             ▲                  ├─ transient ──▶ retry ──due──▶ pending
 *                             │                  ├─ not the item's fault (rate limit, outage,
 *                             │                  │  temporal wait, job pause) ─▶ retry, attempt refunded
 *                             └── reaper ────────┤  (host crash or lease expiry: attempt refunded,
 *                                                │   `crashes` + 1; at 3 in a row ─▶ failed, quarantined)
 *                                                ├─ item-specific ─▶ failed (until retried)
 *                                                ├─ attempts exhausted ─▶ dead (dead letter)
 *                                                └─ handler skip ─▶ skipped (dependents skipped)
 *
 * `retry` is its own status (not "pending with a future ready_at") so that the claim can walk
 * the `(job_id, stage, status, priority)` index in order without filtering out rows that are
 * not due yet; due retries are moved back to `pending` by one cheap statement.
 */
export const STAGE_STATUSES = [
  'waiting',
  'pending',
  'running',
  'retry',
  'done',
  'failed',
  'dead',
  'skipped',
] as const;

export type StageStatus = (typeof STAGE_STATUSES)[number];

/** Terminal for the scheduler: nothing happens to these rows until a person acts. */
export const TERMINAL_STATUSES: readonly StageStatus[] = ['done', 'failed', 'dead', 'skipped'];

/** Derived item status (never stored): the worst/most active of its stages. */
export type ItemStatus = 'failed' | 'dead' | 'running' | 'retry' | 'pending' | 'done' | 'skipped';
