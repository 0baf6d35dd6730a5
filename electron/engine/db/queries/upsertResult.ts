/**
 * upsertResult — store a stage's output for an item.
 *
 * Params: { itemId, stage, version, output (JSON text), artifacts (JSON text or null), now }
 * Returns: nothing. Always writes one row.
 *
 * ON CONFLICT DO UPDATE, never INSERT OR REPLACE: REPLACE deletes the row first, which would
 * reset created_at and any column this statement does not name.
 */
export const upsertResultSql = `
INSERT INTO results (item_id, stage, version, output, artifacts, created_at, updated_at)
VALUES (@itemId, @stage, @version, @output, @artifacts, @now, @now)
ON CONFLICT (item_id, stage) DO UPDATE
   SET version = excluded.version, output = excluded.output,
       artifacts = excluded.artifacts, updated_at = excluded.updated_at`;
