/**
 * The signature cache (doctor_cache): one verdict per normalized error signature, so the
 * LLM is never asked about the same error twice.
 */

/**
 * params: signature
 * returns: { class, action, confidence, source, explanation, askedAt } — 0 rows: never seen.
 */
export const selectCachedSql = `
SELECT class, action, confidence, source, explanation, asked_at AS askedAt
  FROM doctor_cache WHERE signature = @signature`;

/**
 * Stores (or replaces the fields of) a verdict; ON CONFLICT keeps `hits` and `created_at`.
 * params: signature, class, action, confidence, source, explanation, now
 */
export const upsertCachedSql = `
INSERT INTO doctor_cache (signature, class, action, confidence, source, explanation, created_at, asked_at)
VALUES (@signature, @class, @action, @confidence, @source, @explanation, @now, @now)
ON CONFLICT (signature) DO UPDATE SET class = excluded.class, action = excluded.action,
  confidence = excluded.confidence, source = excluded.source, explanation = excluded.explanation,
  asked_at = excluded.asked_at`;

/** params: signature. Counts a cache hit (0 changes: the row vanished, harmless). */
export const bumpCacheHitSql = `UPDATE doctor_cache SET hits = hits + 1 WHERE signature = @signature`;
