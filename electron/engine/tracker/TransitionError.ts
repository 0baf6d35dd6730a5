import type { Db } from '../db/openDatabase.ts';

/**
 * Why a guarded transition changed 0 rows. Every state-changing statement is guarded by
 * `status = 'running' AND lease_owner = ? AND attempts = ?`; when it misses, exactly one of
 * these is true, and it is decided here and nowhere else (STYLE.md §2).
 */
export type TransitionFailure = 'lease_lost' | 'not_running' | 'missing';

export class TransitionError extends Error {
  override readonly name = 'TransitionError';
  constructor(
    readonly reason: TransitionFailure,
    readonly stageRowId: number,
    detail: string,
  ) {
    super(`stage row ${stageRowId}: ${reason.replace('_', ' ')} (${detail})`);
  }
}

/** Looks at the row once more to tell which guard failed. */
export function explainZeroRows(
  db: Db,
  stageRowId: number,
  owner: string,
  attempts: number,
): TransitionError {
  const row = db
    .prepare(`SELECT status, lease_owner AS owner, attempts FROM item_stages WHERE id = ?`)
    .get(stageRowId) as { status: string; owner: string | null; attempts: number } | undefined;
  if (!row) return new TransitionError('missing', stageRowId, 'the row no longer exists');
  if (row.status !== 'running') {
    return new TransitionError('not_running', stageRowId, `status is ${row.status}`);
  }
  return new TransitionError(
    'lease_lost',
    stageRowId,
    `held by ${row.owner ?? 'nobody'} at attempt ${row.attempts}, not ${owner} at attempt ${attempts}`,
  );
}
