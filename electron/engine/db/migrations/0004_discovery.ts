/**
 * Migration 4: discovery state per job, so schedules, backoffs, backfill progress and a
 * strategy's own memory (ETag, Last-Modified, cursors) survive a restart.
 *
 * `state` is the strategy's opaque JSON: the engine never queries inside it (each strategy
 * owns its shape), which is why it is one column and not a table per strategy. Everything
 * the engine itself decides on — when the last round ran, when it last found something new,
 * why a round was skipped, until when it backs off — is a real column.
 *
 * items_source: tracker_query links downstream items to their upstream item; the index
 * keeps "what came from this item" and the ON DELETE SET NULL cascade cheap.
 */
export const migration0004 = `
CREATE TABLE discovery_state (
  job_id            TEXT PRIMARY KEY,
  state             TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(state)),
  last_round_at     INTEGER,
  last_ok_at        INTEGER,
  last_new_at       INTEGER,
  last_error        TEXT,
  failures          INTEGER NOT NULL DEFAULT 0,
  backoff_until     INTEGER,
  skipped_reason    TEXT,
  skipped_at        INTEGER,
  exhausted_at      INTEGER,
  quiet_alerted_at  INTEGER,
  next_round_at     INTEGER,
  updated_at        INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX items_source ON items (source_item_id) WHERE source_item_id IS NOT NULL;
`;
