import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ErrorRecord } from '../types.ts';
import { trainErrorModel, type ErrorModelData } from './ErrorModel.ts';

/** The corpora the shipped model learns from: our own, and every `tune` part. Never a holdout. */
export function modelTrainingFiles(root: string): string[] {
  const dir = join(root, 'test/fixtures/errors');
  const files = [join(dir, 'corpus.jsonl')];
  for (const d of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const f = join(dir, d.name, 'tune.jsonl');
    if (d.isDirectory() && existsSync(f)) files.push(f);
  }
  return files;
}

export function trainShippedModel(root: string): ErrorModelData {
  const files = modelTrainingFiles(root);
  const records = files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        const r = JSON.parse(l) as ErrorRecord & { expected: string };
        r.message ??= '';
        return r;
      }),
  );
  return trainErrorModel(records, files.map((f) => relative(root, f)).join(', '));
}
