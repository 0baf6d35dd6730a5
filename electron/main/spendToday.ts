import type { Db } from '../engine/db/openDatabase.ts';

/** USD spent since local midnight, for the tray. A read-only sum over the costs table. */
export function spendToday(db: Db, now = new Date()): number {
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const row = db
    .prepare(`SELECT coalesce(sum(usd), 0) AS usd FROM costs WHERE ts >= ?`)
    .get(midnight) as { usd: number };
  return row.usd;
}
