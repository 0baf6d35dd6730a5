/**
 * A job's errors grouped by class and signature: how often, on how many items, when last,
 * and the newest message as an example; plus the correction a person taught for the signature.
 * params: jobId, since (epoch ms; 0 for all time), limit
 * returns: { class, signature, count, items, firstAt, lastAt, source, action, example, stage,
 *   taughtClass, taughtAction } (taughtClass null: no correction)
 * 0 rows: no errors in that window.
 */
export const selectFailureGroupsSql = `
SELECT class, signature, count(*) AS count, count(DISTINCT item_id) AS items,
       min(ts) AS firstAt, max(ts) AS lastAt,
       (SELECT d2.source FROM doctor_decisions d2 WHERE d2.job_id = d.job_id AND d2.signature = d.signature AND d2.class = d.class ORDER BY d2.id DESC LIMIT 1) AS source,
       (SELECT d2.action FROM doctor_decisions d2 WHERE d2.job_id = d.job_id AND d2.signature = d.signature AND d2.class = d.class ORDER BY d2.id DESC LIMIT 1) AS action,
       (SELECT d2.message FROM doctor_decisions d2 WHERE d2.job_id = d.job_id AND d2.signature = d.signature AND d2.class = d.class ORDER BY d2.id DESC LIMIT 1) AS example,
       (SELECT d2.stage FROM doctor_decisions d2 WHERE d2.job_id = d.job_id AND d2.signature = d.signature AND d2.class = d.class ORDER BY d2.id DESC LIMIT 1) AS stage,
       (SELECT c.class FROM doctor_corrections c WHERE c.signature = d.signature) AS taughtClass,
       (SELECT c.action FROM doctor_corrections c WHERE c.signature = d.signature) AS taughtAction
  FROM doctor_decisions d
 WHERE job_id = @jobId AND ts >= @since
 GROUP BY class, signature
 ORDER BY count DESC, lastAt DESC
 LIMIT @limit`;
