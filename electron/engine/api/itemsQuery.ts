import type { Db } from '../db/openDatabase.ts';
import { ApiError, type ParsedInput } from './contract.ts';
import { ITEM_STATUS_SQL, jobItemCount, stageRowCount, statusCountsByStage } from './readModel.ts';
import type { ItemRow } from './types.ts';

/**
 * How a status filter finds its page (m = matching stage rows, from the counters):
 * - read: take the m rows on the claim index and keep the best (offset + limit) by item
 *   priority — ~0.5 µs per matching row (100,000 failed rows: ~55 ms), whatever the page;
 * - walk: go through the items in (priority, id) order and probe each one's stage rows —
 *   ~0.7 µs per item walked, and how many must be walked depends on where the matches sit:
 *   when status and priority are correlated (failures clustered in one priority band) even a
 *   first page can mean walking most of the job (500,000 items: ~350 ms).
 * So read when m is at most `selectiveMax` (or `selectiveShare` of the job's items), or when a
 * uniform walk would still cost more (m² < (offset + limit) × items × k); walk only when
 * matches are plentiful, hence dense wherever they sit. Tests pass their own tuning.
 */
export const PLAN_TUNING = { selectiveMax: 250_000, selectiveShare: 0.35, k: 4 };

/**
 * One page of a job's items in (priority, id) order, with filters, built so that its cost
 * does not grow with the job's size (1,000,000 items):
 * - the page is found on the items_job_priority index (OFFSET or keyset `afterId`), a status
 *   filter is an EXISTS probe on the stage rows' (item_id, stage) index, or — when few stage
 *   rows match — a read of those rows on the claim index;
 * - the derived status (ITEM_STATUS_SQL) is computed for the page's rows only;
 * - `total` comes from the trigger-maintained counters unless a text search is involved.
 */
export function itemsQuery(
  db: Db,
  q: Omit<ParsedInput<'items'>, 'sort'> & Partial<Pick<ParsedInput<'items'>, 'sort'>>,
  tuning = PLAN_TUNING,
): { items: ItemRow[]; total: number } {
  const limit = q.limit ?? 50;
  const order = ORDERS[q.sort ?? 'priority'];
  const offset = q.offset ?? 0;
  const params: Record<string, string | number | null> = {
    jobId: q.jobId,
    stage: q.stage ?? null,
    status: q.status ?? null,
    search: q.search ? `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
    limit,
    offset,
  };
  const filters: string[] = [];
  if (q.afterId !== undefined) {
    let afterPriority = q.afterPriority;
    if (afterPriority === undefined) {
      const row = db.prepare(`SELECT priority FROM items WHERE id = ?`).get(q.afterId) as
        { priority: number } | undefined;
      if (!row)
        throw new ApiError(
          'invalid_input',
          `items: afterId ${q.afterId} is not an item (pass afterPriority too)`,
        );
      afterPriority = row.priority;
    }
    params.afterId = q.afterId;
    params.afterPriority = afterPriority;
    filters.push(`(items.priority, items.id) > (@afterPriority, @afterId)`);
  }
  const searchFilter = `(items.item_key LIKE @search ESCAPE '\\' OR items.data LIKE @search ESCAPE '\\')`;
  if (params.search) filters.push(searchFilter);

  // Which stage rows match a status filter, per stage, from the counters.
  const matching = q.status ? statusCountsByStage(db, q.jobId, q.status) : null;
  if (matching && q.stage) {
    const n = matching.get(q.stage);
    matching.clear();
    if (n) matching.set(q.stage, n);
  }
  const items = jobItemCount(db, q.jobId);
  const matchRows = matching ? [...matching.values()].reduce((a, b) => a + b, 0) : 0;

  let ids: number[];
  if (matching && matching.size === 0) {
    ids = [];
  } else if (
    matching &&
    (matchRows <= Math.max(tuning.selectiveMax, items * tuning.selectiveShare) ||
      matchRows * matchRows < (offset + limit) * items * tuning.k)
  ) {
    // Few matching stage rows: read them on the claim index, then sort the few items. The
    // unary + keeps the planner from walking items_job_priority instead.
    const stages = [...matching.keys()];
    ids = (
      db
        .prepare(
          `SELECT id FROM items
            WHERE id IN (SELECT item_id FROM item_stages
                          WHERE job_id = @jobId AND status = @status
                            AND stage IN (${stages.map((_, i) => `@s${i}`).join(', ')}))
              AND +items.job_id = @jobId ${filters.map((f) => `AND ${f}`).join(' ')}
            ORDER BY ${order} LIMIT @limit OFFSET @offset`,
        )
        .all({ ...params, ...Object.fromEntries(stages.map((s, i) => [`s${i}`, s])) }) as {
        id: number;
      }[]
    ).map((r) => r.id);
  } else {
    const where = ['items.job_id = @jobId', ...filters, ...stageFilter(q.stage, q.status)];
    ids = (
      db
        .prepare(
          `SELECT id FROM items WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
        )
        .all(params) as { id: number }[]
    ).map((r) => r.id);
  }

  const rows =
    ids.length === 0
      ? []
      : (db
          .prepare(
            `SELECT id, job_id AS jobId, item_key AS key, priority, discovered_at AS discoveredAt, updated_at AS updatedAt,
                    json_extract(data, '$.title') AS title, ${ITEM_STATUS_SQL} AS status
               FROM items WHERE id IN (SELECT value FROM json_each(@ids)) ORDER BY ${order}`,
          )
          .all({ ids: JSON.stringify(ids) }) as ItemRow[]);

  let total: number;
  if (params.search) {
    // A text search has no counter: count the matches (a scan, as any LIKE '%…%' is).
    const where = ['items.job_id = @jobId', ...stageFilter(q.stage, q.status), searchFilter];
    total = (
      db.prepare(`SELECT count(*) AS n FROM items WHERE ${where.join(' AND ')}`).get(params) as {
        n: number;
      }
    ).n;
  } else if (matching) {
    // One stage row per (item, stage): with one stage involved the counter is exact; across
    // several stages an item can match twice, so count distinct items on the claim index.
    total =
      matching.size <= 1
        ? matchRows
        : (
            db
              .prepare(
                `SELECT count(DISTINCT item_id) AS n FROM item_stages
                  WHERE job_id = @jobId AND status = @status
                    AND stage IN (${[...matching.keys()].map((_, i) => `@s${i}`).join(', ')})`,
              )
              .get({
                jobId: q.jobId,
                status: q.status as string,
                ...Object.fromEntries([...matching.keys()].map((s, i) => [`s${i}`, s])),
              }) as { n: number }
          ).n;
  } else if (q.stage) {
    total = stageRowCount(db, q.jobId, q.stage);
  } else {
    total = items;
  }
  return {
    items: rows.map((r) => ({ ...r, title: typeof r.title === 'string' ? r.title : null })),
    total,
  };
}

/** ORDER BY per sort; each matches an index on (job_id, …), so a page never sorts the job. */
const ORDERS = {
  priority: 'items.priority, items.id',
  newest: 'items.discovered_at DESC, items.id DESC',
  oldest: 'items.discovered_at, items.id',
  updated: 'items.updated_at DESC, items.id DESC',
} as const;

/** The EXISTS probe for a stage and/or status filter (served by UNIQUE (item_id, stage)). */
function stageFilter(stage: string | undefined, status: string | undefined): string[] {
  if (!stage && !status) return [];
  return [
    `EXISTS (SELECT 1 FROM item_stages f WHERE f.item_id = items.id ${stage ? 'AND f.stage = @stage' : ''} ${status ? 'AND f.status = @status' : ''})`,
  ];
}
