/**
 * Counts one more error of a class in a job's current streak. A streak older than the
 * class's window starts again at 1 (the window opens at the streak's first error).
 * params: jobId, class, now, windowStart (errors before it no longer count; 0 = no window)
 * returns: { count, firstAt } of the streak after this error (always one row).
 */
export const bumpBreakerSql = `
INSERT INTO doctor_breakers (job_id, class, count, first_at, last_at) VALUES (@jobId, @class, 1, @now, @now)
ON CONFLICT (job_id, class) DO UPDATE SET
  count    = CASE WHEN doctor_breakers.first_at < @windowStart THEN 1 ELSE doctor_breakers.count + 1 END,
  first_at = CASE WHEN doctor_breakers.first_at < @windowStart THEN @now ELSE doctor_breakers.first_at END,
  last_at  = @now
RETURNING count, first_at AS firstAt`;
