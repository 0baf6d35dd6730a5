/**
 * selectItemsByKeys — the known items among a batch of discovered keys, in one statement.
 *
 * Params: { jobId, keys (JSON array of item keys) }
 * Returns: { id, itemKey, data } for each key that exists.
 * 0 rows: every key is new.
 */
export const selectItemsByKeysSql = `
SELECT id, item_key AS itemKey, data FROM items
 WHERE job_id = @jobId AND item_key IN (SELECT value FROM json_each(@keys))`;

/**
 * updateItemData — store merged provenance for a re-discovered item.
 *
 * Params: { id, data (JSON text), now }
 * 0 rows: the item was deleted meanwhile.
 */
export const updateItemDataSql = `
UPDATE items SET data = @data, updated_at = @now WHERE id = @id`;
