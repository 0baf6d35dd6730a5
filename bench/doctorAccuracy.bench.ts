/**
 * The doctor's accuracy without the LLM (what `jobctl doctor classify --no-llm` does: rules,
 * then the shipped error model) on every labelled corpus of real errors (test/fixtures/errors),
 * and of the rules alone: the parts the rules were written from and the model trained on
 * (`tune`), and the held-out parts neither ever saw (`holdout`) — the held-out figures are the
 * ones that say how well it generalises.
 * `npm run bench:doctor` runs only this.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Doctor } from '../electron/engine/doctor/Doctor.ts';
import type { ErrorRecord } from '../electron/engine/doctor/types.ts';

const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, 'test/fixtures/errors');

/** Every corpus file: the project's own and each folder of real records (tune / holdout). */
export function corpusFiles(): string[] {
  const files = [join(DIR, 'corpus.jsonl')];
  for (const d of readdirSync(DIR, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    for (const part of ['tune.jsonl', 'holdout.jsonl']) {
      const f = join(DIR, d.name, part);
      if (existsSync(f)) files.push(f);
    }
  }
  return files;
}

export interface Score {
  right: number;
  total: number;
  perClass: Record<string, { right: number; total: number }>;
}

/** Scores one corpus file; `withModel: false` measures the rules alone. */
export async function score(file: string, withModel = true): Promise<Score> {
  const doctor = new Doctor(withModel ? {} : { model: null });
  const out: Score = { right: 0, total: 0, perClass: {} };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as ErrorRecord & { expected: string };
    r.message ??= '';
    const d = await doctor.diagnose(r, { useLlm: false });
    const c = (out.perClass[r.expected] ??= { right: 0, total: 0 });
    out.total++;
    c.total++;
    if (d.class === r.expected) {
      out.right++;
      c.right++;
    }
  }
  return out;
}

const pct = (s: { right: number; total: number }) =>
  `${((100 * s.right) / Math.max(1, s.total)).toFixed(1)}% (${s.right}/${s.total})`;

export async function run(): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = {};
  for (const f of corpusFiles()) {
    const s = await score(f);
    const name = relative(DIR, f).replace(/\.jsonl$/, '');
    figures[`${name} rules + model (doctor classify --no-llm)`] = pct(s);
    figures[`${name} rules alone`] = pct(await score(f, false));
    figures[`${name} by class`] = Object.entries(s.perClass)
      .sort()
      .map(([c, v]) => `${c} ${v.right}/${v.total}`)
      .join(', ');
  }
  return figures;
}
