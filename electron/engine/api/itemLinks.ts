import type { Db } from '../db/openDatabase.ts';
import type { ItemLink } from './types.ts';

/** How many downstream items the item view lists (the total is always counted). */
const DOWNSTREAM_SHOWN = 50;

const LINK_COLUMNS = `id, job_id AS jobId, item_key AS key, json_extract(data, '$.title') AS title`;

/**
 * An item's neighbours in chained jobs (`tracker_query`): the upstream item it was made
 * from (items.source_item_id) and the downstream items made from it. Both read the primary
 * key or the partial `items_source` index, so they cost the same with a million items.
 */
export function itemLinks(
  db: Db,
  itemId: number,
  sourceItemId: number | null,
): { upstream: ItemLink | null; downstream: { items: ItemLink[]; total: number } } {
  const upstream =
    sourceItemId === null
      ? null
      : ((db.prepare(`SELECT ${LINK_COLUMNS} FROM items WHERE id = ?`).get(sourceItemId) as
          ItemLink | undefined) ?? null);
  const items = db
    .prepare(`SELECT ${LINK_COLUMNS} FROM items WHERE source_item_id = ? ORDER BY id LIMIT ?`)
    .all(itemId, DOWNSTREAM_SHOWN) as ItemLink[];
  const total =
    items.length < DOWNSTREAM_SHOWN
      ? items.length
      : (
          db.prepare(`SELECT count(*) AS n FROM items WHERE source_item_id = ?`).get(itemId) as {
            n: number;
          }
        ).n;
  const clean = (l: ItemLink): ItemLink => ({
    ...l,
    title: typeof l.title === 'string' ? l.title : null,
  });
  return { upstream: upstream && clean(upstream), downstream: { items: items.map(clean), total } };
}
