import { correctionProblem, type CorrectionInput } from './correctionFields.ts';
import type { Correction } from './CorrectionStore.ts';

/**
 * The corrections file (`jobctl doctor export-corrections` / `import-corrections`, and the
 * dashboard's Export and Import, which use this very module): JSON lines, one correction each, with exactly
 * `signature`, `class`, `action` and `note` (null: the class's usual action / no note).
 * Lines diff and merge well in git, and one bad line can be named by its number.
 */
export function correctionsText(
  list: readonly Pick<Correction, 'signature' | 'class' | 'action' | 'note'>[],
): string {
  // Sorted by signature, so two exports of the same corrections are the same file.
  return [...list]
    .sort((a, b) => (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0))
    .map(
      (c) =>
        `${JSON.stringify({ signature: c.signature, class: c.class, action: c.action, note: c.note })}\n`,
    )
    .join('');
}

/** One problem of a corrections file, at a 1-based line, naming the field when there is one. */
export interface LineProblem {
  line: number;
  field: string | null;
  message: string;
}

/**
 * Reads a corrections file and checks every line before anything is taught: blank lines are
 * skipped, unknown keys ignored (a future field must not break an older reader), and a
 * signature given twice is a problem (which line should win is not ours to guess).
 */
export function parseCorrectionLines(text: string): {
  /** The valid lines, each with its 1-based line number. */
  corrections: (Required<CorrectionInput> & { line: number })[];
  problems: LineProblem[];
} {
  const corrections: (Required<CorrectionInput> & { line: number })[] = [];
  const problems: LineProblem[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      // Reported with its line; the whole file is refused, so nothing half-imports.
      problems.push({ line, field: null, message: `not JSON: ${(err as Error).message}` });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ line, field: null, message: 'expected an object {"signature", "class", …}' });
      return;
    }
    const o = value as Partial<Record<keyof CorrectionInput, unknown>>;
    const problem = correctionProblem(o);
    if (problem) {
      problems.push({ line, ...problem });
      return;
    }
    const c = o as CorrectionInput;
    const signature = c.signature.trim();
    const first = seen.get(signature);
    if (first !== undefined) {
      problems.push({ line, field: 'signature', message: `the same signature as line ${first}` });
      return;
    }
    seen.set(signature, line);
    corrections.push({
      line,
      signature,
      class: c.class,
      action: c.action ?? null,
      note: c.note ?? null,
    });
  });
  return { corrections, problems };
}
