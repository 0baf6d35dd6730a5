/**
 * Every doctor decision about one item, newest first (shown with the item).
 * params: itemId, limit
 * returns: { ts, stage, attempt, signature, class, action, source, confidence, rule, message, paused,
 *   taughtClass, taughtAction } (taughtClass null: no correction for the signature now)
 * 0 rows: the item never failed (or failed before the doctor existed).
 */
export const selectDecisionsForItemSql = `
SELECT d.ts, d.stage, d.attempt, d.signature, d.class, d.action, d.source, d.confidence, d.rule,
       d.message, d.paused, c.class AS taughtClass, c.action AS taughtAction
  FROM doctor_decisions d LEFT JOIN doctor_corrections c ON c.signature = d.signature
 WHERE d.item_id = @itemId ORDER BY d.id DESC LIMIT @limit`;
