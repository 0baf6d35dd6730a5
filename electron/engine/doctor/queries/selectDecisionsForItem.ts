/**
 * Every doctor decision about one item, newest first (shown with the item).
 * params: itemId, limit
 * returns: { ts, stage, attempt, signature, class, action, source, confidence, rule, message, paused }
 * 0 rows: the item never failed (or failed before the doctor existed).
 */
export const selectDecisionsForItemSql = `
SELECT ts, stage, attempt, signature, class, action, source, confidence, rule, message, paused
  FROM doctor_decisions WHERE item_id = @itemId ORDER BY id DESC LIMIT @limit`;
