import { Progress } from './progress.ts';

/**
 * Runs a bulk command in chunks behind a progress bar: `step(afterRowId, limit)` changes at
 * most `limit` rows after the cursor and returns how many it changed and the new cursor.
 * Each chunk is its own short transaction, so a million-row retry never holds the writer
 * (and the running engine) for long.
 */
export async function chunked(
  label: string,
  total: number,
  json: boolean | undefined,
  step: (afterRowId: number, limit: number) => Promise<{ count: number; lastRowId: number | null }>,
  chunkSize = 5000,
): Promise<number> {
  const progress = new Progress(label, total, json ?? false);
  let after = 0;
  let done = 0;
  for (;;) {
    const r = await step(after, chunkSize);
    done += r.count;
    progress.tick(Math.min(done, total));
    if (r.count < chunkSize || r.lastRowId === null) break;
    after = r.lastRowId;
  }
  progress.done();
  return done;
}
