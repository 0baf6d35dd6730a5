/**
 * How many consecutive host deaths (or lease expiries) a row may be running at before the
 * reaper quarantines it. One is an accident (kill -9, power loss, a laptop shut with the host
 * running); two can still be a host restarted into the same trouble; the third — run alone,
 * see below — points at the row itself. Quarantine stops a poison item from taking down every
 * host after it; `jobctl retry` undoes it. Engine option `quarantineAfterCrashes` overrides it.
 */
export const QUARANTINE_AFTER_CRASHES = 3;

/**
 * From how many crashes a row runs alone (no other such row running anywhere): the run that
 * would quarantine it, so that when the host dies during it, no other suspect shares the
 * blame. Rows with fewer crashes only wait for their stage's fresh work (claimCrashedStages).
 */
export function runsAloneFrom(quarantineAfter: number): number {
  return Math.max(1, quarantineAfter - 1);
}
