import type { DoctorAction, ErrorClass } from '../../../electron/engine/api/types.ts';

/**
 * What the correction form offers. Records over the engine's own unions, so a class or an
 * action added there fails the type check here until the form offers it too.
 */
export const CLASS_LABELS: Record<ErrorClass, string> = {
  transient: 'transient — retry with backoff',
  rate_limited: 'rate limited — retry after the wait',
  item_specific: 'item specific — fail the item, the job runs on',
  temporal: 'temporal — pause the job for a while',
  systemic: 'systemic — count it; pause the job',
  code_bug: 'code bug — count it; pause the job',
};

export const ACTION_LABELS: Record<DoctorAction, string> = {
  retry: 'retry',
  fail_item: 'fail the item',
  skip: 'skip the item',
  pause_job: 'pause the job',
  pause_until: 'pause the job for a while',
};

export const CLASSES = Object.keys(CLASS_LABELS) as ErrorClass[];
export const ACTIONS = Object.keys(ACTION_LABELS) as DoctorAction[];

export function isErrorClass(c: string): c is ErrorClass {
  return Object.hasOwn(CLASS_LABELS, c);
}

export function isDoctorAction(a: string): a is DoctorAction {
  return Object.hasOwn(ACTION_LABELS, a);
}
