import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The broken-config corpus (test/fixtures/configs/corpus, see its SOURCES.md): small
 * mutations of base.yaml, each with the lines of every mistake planted in it. Written from
 * the README alone, by someone who had not seen the validator; `holdout/` was never used to
 * write a rule.
 */
export const CORPUS = resolve(import.meta.dirname, '../fixtures/configs/corpus');

export interface CorpusCase {
  file: string;
  class: string;
  /** `hot`: valid on its own, refused only as a reload over a running host (data_dir). */
  mode: 'both' | 'hot';
  /** Each planted mistake; `alt` lists other places that are just as right (a cycle's other end). */
  problems: { line: number; path: string; alt?: { line: number; path: string }[] }[];
  note: string;
  generate?: { kind: 'pad'; bytes: number };
  encoding?: string;
}

export function corpusCases(): CorpusCase[] {
  return readFileSync(join(CORPUS, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusCase);
}

/** The bytes to write for a case: the committed file, or base.yaml padded to a size. */
export function caseBytes(c: CorpusCase): Buffer {
  const bytes = readFileSync(join(CORPUS, c.file));
  if (c.generate?.kind !== 'pad') return bytes;
  const line = `# ${'padding '.repeat(12)}\n`;
  const pad = line.repeat(Math.ceil((c.generate.bytes - bytes.length) / line.length));
  return Buffer.concat([bytes, Buffer.from(pad)]);
}

/** A directory with the corpus' handler modules, where a case becomes `jobs.yaml`. */
export function corpusDir(): { dir: string; file: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-corpus-'));
  cpSync(join(CORPUS, 'handlers'), join(dir, 'handlers'), { recursive: true });
  const file = join(dir, 'jobs.yaml');
  writeFileSync(file, readFileSync(join(CORPUS, 'base.yaml')));
  return { dir, file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Whether reported problems locate every planted mistake: for each, a problem on its line
 * naming the file (a problem naming its field path on another line also counts, since a
 * value can sit a line below its key).
 */
export function locatesAll(c: CorpusCase, file: string, reported: string[]): boolean {
  const found = (p: { line: number; path: string }) =>
    reported.some(
      (r) =>
        r.startsWith(`${file}:${p.line}:`) ||
        (p.path !== '' && r.startsWith(`${file}:`) && r.includes(` ${p.path}:`)),
    );
  return c.problems.every((p) => found(p) || (p.alt ?? []).some(found));
}
