/**
 * insertEvent — append one event. Events are never updated; they are pruned by age.
 *
 * Params: { ts, jobId, itemId, stage, kind, data (JSON text or null) }
 */
export const insertEventSql = `
INSERT INTO events (ts, job_id, item_id, stage, kind, data)
VALUES (@ts, @jobId, @itemId, @stage, @kind, @data)`;
