import type { QaStats } from '../api/contentTypes.ts';
import type { Db } from '../db/openDatabase.ts';

/** Pass rates per audit check and discrepancy rates per checked field, for one job. */
export function qaStats(db: Db, jobId: string): QaStats {
  const audits = (
    db
      .prepare(
        `SELECT stage, check_name AS "check", count(*) AS total, sum(passed) AS passed
           FROM audit_checks WHERE job_id = ? GROUP BY stage, check_name ORDER BY stage, check_name`,
      )
      .all(jobId) as { stage: string; check: string; total: number; passed: number }[]
  ).map((r) => ({ ...r, passRate: r.total > 0 ? r.passed / r.total : 0 }));
  const discrepancies = (
    db
      .prepare(
        `SELECT stage, field, count(*) AS checked, sum(1 - agrees) AS discrepancies
           FROM check_results WHERE job_id = ? GROUP BY stage, field ORDER BY stage, discrepancies DESC, field`,
      )
      .all(jobId) as { stage: string; field: string; checked: number; discrepancies: number }[]
  ).map((r) => ({ ...r, rate: r.checked > 0 ? r.discrepancies / r.checked : 0 }));
  return { audits, discrepancies };
}
