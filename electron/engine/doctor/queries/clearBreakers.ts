/**
 * Ends a job's streaks: after a success, when a breaker trips, or on `jobctl clear-errors`.
 * params: jobId, class (null: every class)
 * returns: nothing; `changes` is the number of streaks cleared (0: there were none).
 */
export const clearBreakersSql = `
DELETE FROM doctor_breakers WHERE job_id = @jobId AND (@class IS NULL OR class = @class)`;
