import type { Correction, DoctorAction, ErrorClass } from '../../../electron/engine/api/types.ts';

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

/**
 * The corrections file, as `jobctl doctor export-corrections` writes it (JSON lines of
 * signature, class, action, note), so the dashboard's export imports with the CLI and back.
 */
export function correctionsFile(list: readonly Correction[]): string {
  return [...list]
    .sort((a, b) => (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0))
    .map(
      (c) =>
        `${JSON.stringify({ signature: c.signature, class: c.class, action: c.action, note: c.note })}\n`,
    )
    .join('');
}

/** One line of an imported file: what to teach, or why the line cannot be read. */
export type ImportLine =
  { line: number; input: Record<string, unknown> } | { line: number; error: string };

/**
 * Reads a corrections file line by line (blank lines skipped). Only JSON and the shape are
 * checked here; the host validates each field when the line is taught and names the field.
 */
export function readCorrectionsFile(text: string): ImportLine[] {
  const out: ImportLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      // Reported with its line number; the other lines are still taught.
      out.push({ line, error: 'not JSON' });
      return;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      out.push({ line, error: 'expected an object {"signature", "class", …}' });
      return;
    }
    const o = v as Record<string, unknown>;
    // Only the four fields: the command's input is strict, and extra keys are not an error.
    const input = { signature: o.signature, class: o.class, action: o.action, note: o.note };
    out.push({
      line,
      input: Object.fromEntries(Object.entries(input).filter(([, x]) => x !== undefined)),
    });
  });
  return out;
}
