/**
 * Appends one doctor decision.
 * params: ts, jobId, itemId (null for discovery), stage, attempt, signature, class, action,
 *         source, confidence, rule, message (truncated), paused (0/1: this decision paused the job)
 * returns: nothing; always inserts one row.
 */
export const insertDecisionSql = `
INSERT INTO doctor_decisions (ts, job_id, item_id, stage, attempt, signature, class, action, source, confidence, rule, message, paused)
VALUES (@ts, @jobId, @itemId, @stage, @attempt, @signature, @class, @action, @source, @confidence, @rule, @message, @paused)`;
