/**
 * selectReachedStage — items of a job whose stage reached a status, after a cursor, with
 * the stage's result (tracker_query discovery: chaining jobs into pipelines).
 *
 * Params: { jobId, stage, status, afterEnded, afterId (the cursor: last row seen), limit }
 * Returns: { rowId, endedAt, itemId, itemKey, data, output (JSON text or null) }, oldest first.
 * 0 rows: nothing new reached that state since the cursor.
 *
 * The cursor is (ended_at, stage row id) because a completion batch stamps many rows with
 * the same ended_at; a plain `ended_at >` would skip the rest of a batch cut by LIMIT.
 */
export const selectReachedStageSql = `
SELECT s.id AS rowId, coalesce(s.ended_at, 0) AS endedAt, i.id AS itemId, i.item_key AS itemKey,
       i.data AS data, r.output AS output
  FROM item_stages s
  JOIN items i ON i.id = s.item_id
  LEFT JOIN results r ON r.item_id = s.item_id AND r.stage = s.stage
 WHERE s.job_id = @jobId AND s.stage = @stage AND s.status = @status
   AND (coalesce(s.ended_at, 0) > @afterEnded OR (coalesce(s.ended_at, 0) = @afterEnded AND s.id > @afterId))
 ORDER BY coalesce(s.ended_at, 0), s.id
 LIMIT @limit`;
