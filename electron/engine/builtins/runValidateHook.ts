import type { Db } from '../db/openDatabase.ts';

export interface ValidateContext {
  jobId: string;
  /** What this batch completed: stage, status (done/retry/failed/dead/skipped) and output. */
  completions: {
    itemId: number;
    stage: string;
    status: string;
    output?: Record<string, unknown>;
  }[];
  /** Read-only access for checks over more than one batch (e.g. the last 100 results). */
  db: Db;
}

/** `export function validate(ctx)` in a handler module: return false or a message, or throw, to pause the job. */
export type ValidateHook = (ctx: ValidateContext) => unknown;

/** Runs a hook; resolves to a failure message, or undefined when it passed. */
export async function runValidateHook(
  hook: ValidateHook,
  ctx: ValidateContext,
): Promise<string | undefined> {
  try {
    const r = await hook(ctx);
    if (r === false) return 'validate() returned false';
    if (typeof r === 'string' && r.length > 0) return r;
    return undefined;
  } catch (err) {
    // A throwing hook is a failed validation, with its message: the job pauses, nothing crashes.
    return (err as Error)?.message ?? String(err);
  }
}
