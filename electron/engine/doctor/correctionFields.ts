import type { DoctorAction } from './types.ts';

/*
 * What a correction may hold. Node-free: the API contract validates teachCorrection with
 * these, and CorrectionStore.correctionProblem checks the CLI and imported files with them.
 */

/** Every action a verdict can carry, as migration 8's CHECK on doctor_corrections.action. */
export const DOCTOR_ACTIONS = [
  'retry',
  'fail_item',
  'skip',
  'pause_job',
  'pause_until',
] as const satisfies readonly DoctorAction[];

/** signature.ts cuts signatures at 300 characters, so a longer one was never seen. */
export const MAX_SIGNATURE = 300;
export const MAX_NOTE = 500;
