import type { ItemDetail, JobSummary } from '../../../electron/engine/api/types.ts';
import { dateTime, relative } from './format.ts';

/** Retries that are not the item's fault say so (they use up no attempt). */
const RETRY_WHY: Record<string, string> = {
  rate_limited: 'was rate-limited (no attempt used)',
  temporal: 'is not available yet (no attempt used)',
};

/**
 * The "why is it waiting" answer for an item, from what the item and its job say: the job's
 * pause, upstream stages not done, a retry's due time, a queue position, or nothing to wait for.
 */
export function whyWaiting(
  detail: ItemDetail,
  job: JobSummary | undefined,
  now = Date.now(),
): string {
  const stages = detail.stages;
  const open = stages.filter((s) => !['done', 'skipped', 'failed', 'dead'].includes(s.status));
  const stuck = stages.filter((s) => s.status === 'failed' || s.status === 'dead');
  if (open.length === 0) {
    if (stuck.length > 0)
      return `Not waiting: ${stuck.map((s) => `“${s.stage}” ${s.errorClass === 'quarantined' ? 'quarantined (it was running at every host crash — a likely poison item)' : s.status}`).join(', ')} — retry it to run again.`;
    return 'Not waiting: every stage is finished.';
  }
  if (job?.paused)
    return `The job is paused (${job.pauseReason ?? 'no reason'})${job.pausedUntil ? `, until ${dateTime(job.pausedUntil)}` : ''}.`;
  const running = open.find((s) => s.status === 'running');
  if (running) return `Running “${running.stage}” since ${relative(running.startedAt, now)}.`;
  const retry = open.find((s) => s.status === 'retry');
  if (retry)
    return `“${retry.stage}” ${RETRY_WHY[retry.errorClass ?? ''] ?? `failed on attempt ${retry.attempts}`} and retries ${relative(retry.readyAt, now)}${retry.error ? ` (${retry.error})` : ''}.`;
  const pending = open.find((s) => s.status === 'pending');
  if (pending) {
    const summary = job?.stages.find((s) => s.name === pending.stage);
    const ahead = summary ? summary.counts.pending + summary.counts.running : 0;
    return `Queued for “${pending.stage}” since ${relative(pending.readyAt, now)}${ahead > 1 ? ` with ${ahead - 1} other items ahead or running` : ''}.`;
  }
  const waiting = open[0]!;
  const deps = job?.stages.find((s) => s.name === waiting.stage)?.deps ?? [];
  const notDone = stages
    .filter((s) => deps.includes(s.stage) && s.status !== 'done')
    .map((s) => s.stage);
  return `“${waiting.stage}” waits for ${notDone.length ? notDone.map((s) => `“${s}”`).join(', ') : 'its upstream stages'} to finish.`;
}
