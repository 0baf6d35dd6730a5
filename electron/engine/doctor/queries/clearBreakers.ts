/**
 * Ends a job's streaks: after a success, when a breaker trips, or on `jobctl clear-errors`.
 * params: jobId, class (null: every class)
 * returns: nothing; `changes` is the number of streaks cleared (0: there were none).
 */
export const clearBreakersSql = `
DELETE FROM doctor_breakers WHERE job_id = @jobId AND (@class IS NULL OR class = @class)`;

/**
 * A success in the job: ends its job-wide streaks, but not the per-site ones (`systemic@host`)
 * — a page that loads on one site says nothing about another site's bot wall.
 * params: jobId
 * returns: nothing; `changes` is the number of streaks cleared.
 */
export const clearJobStreaksSql = `
DELETE FROM doctor_breakers WHERE job_id = @jobId AND instr(class, '@') = 0`;
