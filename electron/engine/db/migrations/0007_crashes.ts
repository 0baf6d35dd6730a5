/**
 * Migration 7: host crashes are counted apart from handler failures.
 *
 * Why: `attempts` is bumped at claim, so every row a host was running when it died had spent
 * an attempt it never used; a host killed a few times right after start dead-lettered healthy
 * items ("lease expired") and left their downstream stages waiting. A crash is not the item's
 * fault. The reaper now refunds that attempt and counts the crash here instead.
 *
 * - crashes: consecutive host deaths or lease expiries while this row was running. Every
 *   normal end of a run (done, retry, failed, dead, skipped) and a person's retry or reset put
 *   it back to 0, so a row only gets near the quarantine threshold when its own runs keep
 *   ending with the host (a likely poison item).
 * - item_stages_crashed: partial, so it holds only rows with crashes > 0 (none on a healthy
 *   database) and costs the hot path nothing but the predicate check. The claim reads it to run
 *   such rows after their stage's fresh work, and a row one crash from quarantine alone
 *   (claimCrashedStages.ts), so that the crash which quarantines a row is its own.
 * - No new claim index: the fresh claim filters `crashes = 0` with one table lookup per
 *   candidate (+6 µs per claim of 10; claimStages.ts) instead of rebuilding item_stages_claim.
 */
export const migration0007 = `
ALTER TABLE item_stages ADD COLUMN crashes INTEGER NOT NULL DEFAULT 0;
CREATE INDEX item_stages_crashed ON item_stages (job_id, stage, status, priority) WHERE crashes > 0;
`;
