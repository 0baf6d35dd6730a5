/**
 * Operator corrections (doctor_corrections): a person's verdict for one error signature.
 * They win over rules and the cache, so they are read on every diagnosis: a primary-key
 * lookup.
 */

/**
 * params: signature
 * returns: { signature, class, action, note, createdAt, hits, lastHitAt } — 0 rows: not taught.
 */
export const selectCorrectionSql = `
SELECT signature, class, action, note, created_at AS createdAt, hits, last_hit_at AS lastHitAt
  FROM doctor_corrections WHERE signature = @signature`;

/** params: none. returns: every correction, newest first. */
export const listCorrectionsSql = `
SELECT signature, class, action, note, created_at AS createdAt, hits, last_hit_at AS lastHitAt
  FROM doctor_corrections ORDER BY created_at DESC, signature`;

/**
 * Teaches (or re-teaches) a signature; a re-taught one keeps its hit count.
 * params: signature, class, action (null: the class's usual action), note, now
 */
export const upsertCorrectionSql = `
INSERT INTO doctor_corrections (signature, class, action, note, created_at)
VALUES (@signature, @class, @action, @note, @now)
ON CONFLICT (signature) DO UPDATE SET class = excluded.class, action = excluded.action,
  note = excluded.note, created_at = excluded.created_at`;

/** params: signature. 0 changes: it was not taught. */
export const deleteCorrectionSql = `DELETE FROM doctor_corrections WHERE signature = @signature`;

/** params: signature, now. Counts a use (0 changes: removed meanwhile, harmless). */
export const bumpCorrectionHitSql = `
UPDATE doctor_corrections SET hits = hits + 1, last_hit_at = @now WHERE signature = @signature`;

/**
 * Past decisions with a signature, and in how many jobs: `teach` shows it so a mistyped
 * signature (0 matches) is noticed. A scan of doctor_decisions (no index leads with
 * signature): teaching is a rare act by hand, not worth an index every failure must update.
 * params: signature. returns: one row { decisions, jobs } (0 and 0: never seen).
 */
export const countSignatureDecisionsSql = `
SELECT count(*) AS decisions, count(DISTINCT job_id) AS jobs
  FROM doctor_decisions WHERE signature = @signature`;
