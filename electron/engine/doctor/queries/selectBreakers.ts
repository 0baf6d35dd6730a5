/**
 * A job's open streaks (shown by `jobctl failures`).
 * params: jobId
 * returns: { class, count, firstAt, lastAt }
 * 0 rows: no error since the last success or clear.
 */
export const selectBreakersSql = `
SELECT class, count, first_at AS firstAt, last_at AS lastAt FROM doctor_breakers WHERE job_id = @jobId ORDER BY class`;
