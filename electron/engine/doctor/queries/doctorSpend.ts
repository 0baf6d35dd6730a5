/**
 * What the doctor's LLM classifier spent since a time (its own budget; stage '_doctor').
 * params: since (epoch ms, start of the local day)
 * returns: { usd } (0 when nothing was spent).
 */
export const doctorSpendSql = `
SELECT coalesce(sum(usd), 0) AS usd FROM costs WHERE stage = '_doctor' AND ts >= @since`;

/**
 * Records one classifier call's cost.
 * params: ts, jobId ('_doctor' when no job), usd, model, tokensIn, tokensOut
 */
export const insertDoctorCostSql = `
INSERT INTO costs (ts, job_id, item_id, stage, usd, model, tokens_in, tokens_out)
VALUES (@ts, @jobId, NULL, '_doctor', @usd, @model, @tokensIn, @tokensOut)`;
