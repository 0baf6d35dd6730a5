import { ERROR_CLASSES, type ErrorClass } from '../runner/ErrorClassifier.ts';
import type { DoctorAction } from './types.ts';

/*
 * What a correction may hold, and the check every source of one goes through (the CLI, an
 * imported file, the API). Node-free: the API contract and the dashboard use it too.
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

/** What `teach` takes: the signature, the class and optionally an action and a note. */
export interface CorrectionInput {
  signature: string;
  class: ErrorClass;
  action?: DoctorAction | null;
  note?: string | null;
}

/**
 * What is wrong with a correction from any source (CLI, API, an imported file), naming the
 * field; undefined when it is fine. The signature is taken as given (it is what
 * `jobctl failures` shows), only trimmed.
 */
export function correctionProblem(
  input: Partial<Record<keyof CorrectionInput, unknown>>,
): { field: keyof CorrectionInput; message: string } | undefined {
  const signature = typeof input.signature === 'string' ? input.signature.trim() : '';
  if (!signature)
    return { field: 'signature', message: 'a correction needs a non-empty `signature`' };
  if (signature.length > MAX_SIGNATURE)
    return {
      field: 'signature',
      message: `\`signature\` is longer than ${MAX_SIGNATURE} characters; copy it from \`jobctl failures\``,
    };
  if (!(ERROR_CLASSES as readonly unknown[]).includes(input.class))
    return {
      field: 'class',
      message: `unknown class \`${String(input.class)}\`; one of: ${ERROR_CLASSES.join(', ')}`,
    };
  const action = input.action ?? null;
  if (action !== null && !(DOCTOR_ACTIONS as readonly unknown[]).includes(action))
    return {
      field: 'action',
      message: `unknown action \`${String(action)}\`; one of: ${DOCTOR_ACTIONS.join(', ')}`,
    };
  const note = input.note ?? null;
  if (note !== null && typeof note !== 'string')
    return { field: 'note', message: '`note` must be text' };
  if (typeof note === 'string' && note.length > MAX_NOTE)
    return { field: 'note', message: `\`note\` is longer than ${MAX_NOTE} characters` };
  return undefined;
}
